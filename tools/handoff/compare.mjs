#!/usr/bin/env node
// Loads the model PyTorch trained (HANDOFF/result, HF format) with attn's loadModel and compares its dev-set logits
// with the ones PyTorch wrote (result/torch_dev_logits.json), on the same tokenized dev.jsonl.
// Usage: node tools/handoff/compare.mjs HANDOFF_DIR [--backend cpu|wasm]   (packages built first)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tf, initBackend } from '../../packages/tensor/dist/index.js';
import { loadModel } from '../../packages/models/dist/index.js';

// wasm by default: 10-30x faster than cpu here; both agree with PyTorch to ~3e-7 on the recorded run.
const { values, positionals } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' } }, allowPositionals: true });
const dir = positionals[0];
if (!dir) throw new Error('usage: node tools/handoff/compare.mjs HANDOFF_DIR [--backend cpu|wasm]');
await initBackend({ backend: values.backend });
const dev = readFileSync(join(dir, 'dev.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const torchLogits = JSON.parse(readFileSync(join(dir, 'result', 'torch_dev_logits.json'), 'utf8'));
const model = await loadModel(join(dir, 'result'));
const pad = model.config.padTokenId ?? 0;

let worst = 0;
let agree = 0;
let correctAttn = 0;
let correctTorch = 0;
// The same batches of 64 as train.py, padded to each batch's longest example.
for (let i = 0; i < dev.length; i += 64) {
  const batch = dev.slice(i, i + 64);
  const width = Math.max(...batch.map((f) => f.input_ids.length));
  const rows = (key, v) => batch.map((f) => [...f[key], ...Array(width - f[key].length).fill(v)]);
  const logits = tf.tidy(() =>
    model
      .forward({
        inputIds: tf.tensor2d(rows('input_ids', pad), undefined, 'int32'),
        attentionMask: tf.tensor2d(rows('attention_mask', 0), undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(rows('token_type_ids', 0), undefined, 'int32'),
      })
      .logits.arraySync(),
  );
  logits.forEach((row, j) => {
    const ref = torchLogits[i + j];
    row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - ref[k]))));
    const a = row.indexOf(Math.max(...row));
    const t = ref.indexOf(Math.max(...ref));
    agree += a === t ? 1 : 0;
    correctAttn += a === batch[j].labels ? 1 : 0;
    correctTorch += t === batch[j].labels ? 1 : 0;
  });
}
model.dispose();
const n = dev.length;
console.log(`${n} dev examples on ${tf.getBackend()}: max |attn - PyTorch| logit ${worst.toExponential(2)}; same predicted label ${agree}/${n}; accuracy attn ${(correctAttn / n).toFixed(4)}, PyTorch ${(correctTorch / n).toFixed(4)}`);
process.exit(worst < 1e-4 && agree === n ? 0 : 1);
