import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileDurable } from '@attn/tensor/durable_write';
import { join, relative, resolve } from 'node:path';
import { presetConfig, registeredPresets } from '@attn/models';
import { CliError } from '@attn/cli';
import { REPO_ROOT } from '../pretrain_flags';

export interface CompareFlags {
  model: string;
  tasks?: string;
  inits?: string;
  out?: string;
  conllEpochs?: string;
  squadEpochs?: string;
  squadMaxLength?: string;
  sst2Epochs?: string;
  lr?: string;
  seed?: string;
}

export interface CompareEntry {
  task: string;
  init: string;
  perEpoch: Array<number | string>;
  best: number | string;
  seconds: number;
}

type Entry = Record<string, number>;
interface Task {
  title: string;
  /** [program, args, extra env] of the apps' own train command. */
  cmd(model: string, tokenizerFlags: string[], out: string): [string, string[], Record<string, string>?];
  read(dir: string): Array<number | string>;
  best?(vals: Array<number | string>): number | string;
}

const readLog = (dir: string): Entry[] => readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);
const perEpoch = (key: string) => (dir: string) => readLog(dir).filter((e) => e[key] !== undefined).map((e) => 100 * e[key]!);

/**
 * `attn-pretrain compare`: fine-tunes the same tasks from a pretrained checkpoint and from random weights of
 * the same size with the same tokenizer, hyperparameters and seed (the apps' own train commands and the
 * tools/run-*.sh scripts), and prints one table. A measurement command: minutes to hours, never CI.
 */
export async function compareCommand(f: CompareFlags, print: (s: string) => void = (s) => console.log(s)): Promise<CompareEntry[]> {
  const modelDir = resolve(f.model);
  const tokenizer = join(modelDir, 'tokenizer.json');
  if (!existsSync(join(modelDir, 'config.json')) || !existsSync(tokenizer)) throw new CliError(`--model ${modelDir}: expected an HF directory with config.json and tokenizer.json.`);
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  // Random init: the preset of the same size (only the weights differ).
  const preset = registeredPresets().find((p) => {
    const c = presetConfig(p).toJSON();
    return c['hidden_size'] === config['hidden_size'] && c['num_hidden_layers'] === config['num_hidden_layers'];
  });
  if (!preset) throw new CliError(`--model ${modelDir}: no preset with hidden_size ${String(config['hidden_size'])} and ${String(config['num_hidden_layers'])} layers.`);
  const seed = f.seed ?? '42';
  const lr = f.lr;
  const squadLen = f.squadMaxLength ?? '384';
  const app = (name: string) => join(REPO_ROOT, 'apps', name, 'dist', 'cli.js');
  const script = (name: string) => join(REPO_ROOT, 'tools', name);
  const TASKS: Record<string, Task> = {
    'sst2-4k': {
      title: 'SST-2 dev accuracy (4,000 bundled training sentences, 4 epochs: the README demo)',
      cmd: (model, tok, out) => [process.execPath, [app('classify'), 'train', '--train', join(REPO_ROOT, 'apps/classify/data/sst2-train-4k.tsv'), '--dev', join(REPO_ROOT, 'apps/classify/data/sst2-dev.tsv'), '--model', model, ...tok, '--out', out, '--epochs', '4', '--lr', lr ?? '1e-3', '--batch-size', '32', '--seed', seed]],
      read: perEpoch('eval_accuracy'),
    },
    'sst2-full': {
      title: 'SST-2 dev accuracy (all 67,349 training sentences)',
      cmd: (model, tok, out) => ['bash', [script('run-classify-sst2.sh'), out, ...tok, '--seed', seed], { MODEL: model, EPOCHS: f.sst2Epochs ?? '2', LR: lr ?? '1e-3' }],
      read: perEpoch('eval_accuracy'),
    },
    conll: {
      title: 'CoNLL-2003 dev entity F1',
      cmd: (model, _tok, out) => ['bash', [script('run-ner-conll.sh'), out, '--epochs', f.conllEpochs ?? '3', '--seed', seed, ...(lr ? ['--lr', lr] : [])], { MODEL: model, TOKENIZER: tokenizer }],
      read: perEpoch('eval_f1'),
    },
    squad: {
      title: `SQuAD v1.1 dev EM / F1 (30 articles train, 6 dev, ${squadLen}-token windows)`,
      cmd: (model, _tok, out) => ['bash', [script('run-qa-squad.sh'), out, '--epochs', f.squadEpochs ?? '2', '--max-length', squadLen, '--stride', String(Math.floor(Number(squadLen) / 3)), '--seed', seed, ...(lr ? ['--lr', lr] : [])], { MODEL: model, TOKENIZER: tokenizer }],
      read: (dir) => readLog(dir).filter((e) => e['eval_exact_match'] !== undefined).map((e) => `${e['eval_exact_match']!.toFixed(2)} / ${e['eval_f1']!.toFixed(2)}`),
      best: (vals) => vals.reduce((b, v) => (Number(String(v).split(' / ')[1]) > Number(String(b).split(' / ')[1]) ? v : b)),
    },
  };
  const outRoot = f.out ?? join('runs', 'compare');
  await mkdir(outRoot, { recursive: true });
  const results: CompareEntry[] = [];
  for (const task of (f.tasks ?? 'sst2-4k,conll,squad').split(',')) {
    const t = TASKS[task];
    if (!t) throw new CliError(`--tasks: unknown task ${task}; known: ${Object.keys(TASKS).join(', ')}.`);
    for (const init of (f.inits ?? 'pretrained,random').split(',')) {
      if (init !== 'pretrained' && init !== 'random') throw new CliError(`--inits: pretrained and/or random; got ${init}.`);
      const out = join(outRoot, `${task}-${init}`);
      const sst2 = task.startsWith('sst2');
      const [model, tok] = init === 'pretrained' ? [modelDir, []] : [preset, sst2 ? ['--tokenizer', tokenizer] : []];
      const [bin, args, env] = t.cmd(model, tok, out);
      const t0 = Date.now();
      print(`\n[compare] ${task} from ${init}: ${bin} ${args.join(' ')} ${env ? JSON.stringify(env) : ''}`);
      const r = spawnSync(bin, args, { stdio: 'inherit', env: { ...process.env, ...env } });
      if (r.status !== 0) throw new CliError(`${task} (${init}) failed with exit code ${r.status}.`);
      const vals = t.read(out);
      const entry: CompareEntry = { task, init, perEpoch: vals, best: t.best ? t.best(vals) : Math.max(...(vals as number[])), seconds: (Date.now() - t0) / 1000 };
      results.push(entry);
      print(`[compare] ${JSON.stringify(entry)}`);
      await writeFileDurable(join(outRoot, 'results.json'), JSON.stringify({ model: modelDir, results }, null, 2) + '\n');
    }
  }
  const fmt = (v: number | string) => (typeof v === 'number' ? v.toFixed(2) : v);
  print(`\n| task | start from | per epoch | best | wall |\n|---|---|---|---|---|`);
  for (const r of results) {
    print(`| ${TASKS[r.task]!.title} | ${r.init === 'pretrained' ? relative(REPO_ROOT, modelDir) || modelDir : `random init (${preset})`} | ${r.perEpoch.map(fmt).join(', ')} | **${fmt(r.best)}** | ${Math.round(r.seconds)} s |`);
  }
  return results;
}
