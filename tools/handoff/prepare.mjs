#!/usr/bin/env node
// Hands an attn text classifier to PyTorch distributed training: writes a folder with
//   model/          the attn-saved model directory as it is (config.json, model.safetensors, tokenizer files)
//   train.jsonl     the training set tokenized by attn's tokenizer: {"input_ids", "attention_mask", "token_type_ids", "labels"}
//   dev.jsonl       the same for --dev (used for the comparison after training)
//   hparams.json    the hyperparameters (from attn's train_config.json when --config is given, then flags)
//   train.py        HF Trainer script, generated from train.py.tmpl (DDP under torchrun, gloo on CPU)
//   run.sh          the torchrun command line
// Usage: node tools/handoff/prepare.mjs --model DIR --train FILE [--dev FILE] --out DIR [--config attn-run/train_config.json]
//          [--max-steps N] [--lr X] [--batch-size N] [--max-length N] [--seed N] [--limit N] [--nproc N]
// Needs the packages built (pnpm run build). Sequence classification only.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Tokenizer } from '../../packages/tokenizers/dist/index.js';
import { LabelMap, prepareClassificationFeatures, readDelimited, readJsonl } from '../../packages/data/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    model: { type: 'string' },
    train: { type: 'string' },
    dev: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    'max-steps': { type: 'string', default: '20' },
    lr: { type: 'string' },
    'batch-size': { type: 'string' },
    'max-length': { type: 'string' },
    seed: { type: 'string' },
    limit: { type: 'string' },
    nproc: { type: 'string', default: '2' },
  },
});
for (const f of ['model', 'train', 'out']) if (!flags[f]) throw new Error(`--${f} is required (see the usage at the top of ${basename(fileURLToPath(import.meta.url))}).`);

// attn classify's defaults, then its train_config.json, then flags: the same hyperparameters as an attn run.
const attnRun = flags.config ? JSON.parse(readFileSync(flags.config, 'utf8')) : {};
const pick = (flag, key, fallback) => (flags[flag] !== undefined ? Number(flags[flag]) : attnRun[key] ?? fallback);
const hparams = {
  learning_rate: pick('lr', 'lr', 5e-4),
  per_device_train_batch_size: pick('batch-size', 'batchSize', 32),
  max_length: pick('max-length', 'maxLength', 128),
  seed: pick('seed', 'seed', 42),
  weight_decay: attnRun.weightDecay ?? 0.01,
  warmup_ratio: attnRun.warmupRatio ?? 0.1,
  lr_scheduler_type: attnRun.scheduler ?? 'linear',
  max_grad_norm: attnRun.maxGradNorm ?? 1,
  max_steps: Number(flags['max-steps']),
  text_column: attnRun.textColumn ?? 'sentence',
  text_pair_column: attnRun.textPairColumn ?? null,
  label_column: attnRun.labelColumn ?? 'label',
};
if ((attnRun.optimizer ?? 'adamw') !== 'adamw') throw new Error(`train_config.json optimizer ${attnRun.optimizer}: the hand-off writes AdamW (HF Trainer's default) only.`);

const out = resolve(flags.out);
mkdirSync(join(out, 'model'), { recursive: true });
for (const name of readdirSync(flags.model)) {
  if (/\.(json|safetensors|txt)$/.test(name) && name !== 'train_config.json') copyFileSync(join(flags.model, name), join(out, 'model', name));
}

const config = JSON.parse(readFileSync(join(flags.model, 'config.json'), 'utf8'));
const tokenizerPath = ['tokenizer.json', 'vocab.txt'].map((f) => join(flags.model, f)).find(existsSync);
if (!tokenizerPath) throw new Error(`${flags.model}: no tokenizer.json or vocab.txt to tokenize the data with.`);
const tokenizer = tokenizerPath.endsWith('.json') ? await Tokenizer.fromFile(tokenizerPath) : await Tokenizer.fromVocabFile(tokenizerPath, { lowercase: true });
// Labels keep the model's ids (config.json label2id), so the head trained by attn goes on training as it is.
const labelMap = LabelMap.fromConfig(config, join(flags.model, 'config.json'));

async function tokenize(file, limit) {
  const pair = hparams.text_pair_column;
  const loaded = file.endsWith('.jsonl')
    ? await readJsonl(file, { textField: hparams.text_column, labelField: hparams.label_column, ...(pair ? { textPairField: pair } : {}) })
    : await readDelimited(file, { textColumn: hparams.text_column, labelColumn: hparams.label_column, ...(pair ? { textPairColumn: pair } : {}) });
  const examples = loaded.examples.slice(0, limit || undefined);
  const features = prepareClassificationFeatures(tokenizer, examples, { labelMap, maxLength: hparams.max_length });
  return features.map((f) => JSON.stringify({ input_ids: f.inputIds, attention_mask: f.attentionMask, token_type_ids: f.tokenTypeIds, labels: f.label })).join('\n') + '\n';
}
const limit = flags.limit ? Number(flags.limit) : 0;
writeFileSync(join(out, 'train.jsonl'), await tokenize(flags.train, limit));
if (flags.dev) writeFileSync(join(out, 'dev.jsonl'), await tokenize(flags.dev, 0));
hparams.pad_token_id = config.pad_token_id ?? 0;
writeFileSync(join(out, 'hparams.json'), `${JSON.stringify(hparams, null, 2)}\n`);
copyFileSync(join(here, 'train.py.tmpl'), join(out, 'train.py'));
const nproc = Number(flags.nproc);
writeFileSync(
  join(out, 'run.sh'),
  `#!/bin/sh\n# One machine, ${nproc} processes, gloo on CPU (use --nnodes/--node_rank/--rdzv_endpoint for several machines).\n` +
    `cd "$(dirname "$0")" && exec torchrun --nproc_per_node ${nproc} train.py "$@"\n`,
);
chmodSync(join(out, 'run.sh'), 0o755);
const lines = readFileSync(join(out, 'train.jsonl'), 'utf8').trim().split('\n').length;
console.log(`wrote ${out}: model/, train.jsonl (${lines} examples)${flags.dev ? ', dev.jsonl' : ''}, hparams.json, train.py, run.sh`);
console.log(`next: (cd ${out} && torchrun --nproc_per_node ${nproc} train.py)`);
