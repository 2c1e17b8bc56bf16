#!/usr/bin/env node
// Fine-tunes the same tasks from a pretrained checkpoint and from random weights (same architecture,
// same tokenizer, same hyperparameters, same seed) and prints one table: issue #10's measurement.
//   node tools/pretrain/compare-finetune.mjs --model models/attn-bert-tiny --tasks sst2-4k,conll,squad [--out /tmp/compare]
// Each run is the apps' own `train` command (the tools/run-*.sh scripts for CoNLL and SQuAD);
// the numbers are read back from each run's log.jsonl. Needs the apps built (`pnpm build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opt } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'models', 'attn-bert-tiny') },
    tasks: { type: 'string', default: 'sst2-4k,conll,squad' },
    inits: { type: 'string', default: 'pretrained,random' },
    out: { type: 'string', default: '/tmp/attn-compare' },
    'conll-epochs': { type: 'string', default: '3' },
    'squad-epochs': { type: 'string', default: '2' },
    'squad-max-length': { type: 'string', default: '384' }, // 128 uses only the positions pretraining trained (stride = a third)
    'sst2-epochs': { type: 'string', default: '2' },
    lr: { type: 'string' }, // override every task's learning rate
    seed: { type: 'string', default: '42' }, // fine-tuning seed (head init, shuffling, dropout)
  },
});
const modelDir = resolve(opt.model);
const tokenizer = join(modelDir, 'tokenizer.json');
if (!existsSync(join(modelDir, 'config.json')) || !existsSync(tokenizer)) throw new Error(`--model ${modelDir}: expected an HF directory with config.json and tokenizer.json`);
const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8'));
const preset = { 128: 'bert-tiny', 256: 'bert-mini', 512: 'bert-small' }[config.hidden_size];
if (!preset || config.num_hidden_layers !== { 'bert-tiny': 2, 'bert-mini': 4, 'bert-small': 4 }[preset]) throw new Error(`${modelDir}: no preset with hidden ${config.hidden_size} / ${config.num_hidden_layers} layers`);

const readLog = (dir) => readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const TASKS = {
  'sst2-4k': {
    title: 'SST-2 dev accuracy (4,000 bundled training sentences, 4 epochs: the README demo)',
    cmd: (model, tok, out) => ['node', [join(root, 'apps/classify/dist/cli.js'), 'train', '--train', join(root, 'apps/classify/data/sst2-train-4k.tsv'), '--dev', join(root, 'apps/classify/data/sst2-dev.tsv'), '--model', model, ...tok, '--out', out, '--epochs', '4', '--lr', opt.lr ?? '1e-3', '--batch-size', '32', '--seed', opt.seed]],
    read: (dir) => readLog(dir).filter((e) => e.eval_accuracy !== undefined).map((e) => 100 * e.eval_accuracy),
  },
  'sst2-full': {
    title: 'SST-2 dev accuracy (all 67,349 training sentences)',
    cmd: (model, tok, out) => ['bash', [join(root, 'tools/run-classify-sst2.sh'), out, ...tok, '--seed', opt.seed], { MODEL: model, EPOCHS: opt['sst2-epochs'], LR: opt.lr ?? '1e-3' }],
    read: (dir) => readLog(dir).filter((e) => e.eval_accuracy !== undefined).map((e) => 100 * e.eval_accuracy),
  },
  conll: {
    title: 'CoNLL-2003 dev entity F1',
    cmd: (model, tok, out) => ['bash', [join(root, 'tools/run-ner-conll.sh'), out, '--epochs', opt['conll-epochs'], '--seed', opt.seed, ...(opt.lr ? ['--lr', opt.lr] : [])], { MODEL: model, TOKENIZER: tokenizer }],
    read: (dir) => readLog(dir).filter((e) => e.eval_f1 !== undefined).map((e) => 100 * e.eval_f1),
  },
  squad: {
    title: `SQuAD v1.1 dev EM / F1 (30 articles train, 6 dev, ${opt['squad-max-length']}-token windows)`,
    cmd: (model, tok, out) => ['bash', [join(root, 'tools/run-qa-squad.sh'), out, '--epochs', opt['squad-epochs'], '--max-length', opt['squad-max-length'], '--stride', String(Math.floor(Number(opt['squad-max-length']) / 3)), '--seed', opt.seed, ...(opt.lr ? ['--lr', opt.lr] : [])], { MODEL: model, TOKENIZER: tokenizer }],
    read: (dir) => readLog(dir).filter((e) => e.eval_exact_match !== undefined).map((e) => `${e.eval_exact_match.toFixed(2)} / ${e.eval_f1.toFixed(2)}`),
    best: (vals) => vals.reduce((b, v) => (Number(v.split(' / ')[1]) > Number(b.split(' / ')[1]) ? v : b)),
  },
};

mkdirSync(opt.out, { recursive: true });
const results = [];
for (const task of opt.tasks.split(',')) {
  const t = TASKS[task];
  if (!t) throw new Error(`unknown task ${task}; known: ${Object.keys(TASKS).join(', ')}`);
  for (const init of opt.inits.split(',')) {
    const out = join(opt.out, `${task}-${init}`);
    // random: the preset of the same size with the checkpoint's tokenizer (only the weights differ).
    const [model, tok] = init === 'pretrained' ? [modelDir, []] : [preset, task === 'sst2-4k' || task === 'sst2-full' ? ['--tokenizer', tokenizer] : []];
    const [bin, args, env] = t.cmd(model, tok, out);
    const t0 = Date.now();
    console.log(`\n[compare] ${task} from ${init}: ${bin} ${args.join(' ')} ${env ? JSON.stringify(env) : ''}`);
    const r = spawnSync(bin, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${task} (${init}) failed with exit code ${r.status}`);
    const perEpoch = t.read(out);
    const best = t.best ? t.best(perEpoch) : Math.max(...perEpoch);
    const entry = { task, init, perEpoch, best, seconds: (Date.now() - t0) / 1000 };
    results.push(entry);
    console.log(`[compare] ${JSON.stringify(entry)}`);
    writeFileSync(join(opt.out, 'results.json'), JSON.stringify({ model: modelDir, results }, null, 2) + '\n');
  }
}
const fmt = (v) => (typeof v === 'number' ? v.toFixed(2) : v);
console.log(`\n| task | start from | per epoch | best | wall |\n|---|---|---|---|---|`);
for (const r of results) console.log(`| ${TASKS[r.task].title} | ${r.init === 'pretrained' ? modelDir.replace(root + '/', '') : `random init (${preset})`} | ${r.perEpoch.map(fmt).join(', ')} | **${fmt(r.best)}** | ${Math.round(r.seconds)} s |`);
