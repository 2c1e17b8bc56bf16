#!/usr/bin/env node
// BERT-base (110M parameters) on the wasm backend: create, save and reload through safetensors, then time
// forward+backward steps and count tensors left behind. Not a CI test (minutes of CPU).
// Needs built packages: `npx nx run-many -t build --projects=@attn/tensor,@attn/layers,@attn/models`.
// Usage: node tools/bench/bert-base.mjs [--batch 2] [--seq 128] [--steps 3] [--preset bert-base] [--backend wasm]
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, initBackend, variableGrads } from '../../packages/tensor/dist/index.js';
import { BertConfig, BertForSequenceClassification } from '../../packages/models/dist/index.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const batch = Number(arg('batch', 2));
const seq = Number(arg('seq', 128));
const steps = Number(arg('steps', 3));
const preset = arg('preset', 'bert-base');
const backend = arg('backend', 'wasm');

const t = () => performance.now();
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

await initBackend({ backend });
console.log(`backend ${tf.getBackend()}, ${preset}, batch ${batch} x seq ${seq}, ${steps} steps`);

let t0 = t();
const config = BertConfig.preset(preset, { num_labels: 2 });
const model = new BertForSequenceClassification(config, { seed: 0 });
console.log(`create: ${secs(t() - t0)}, ${model.numParameters().toLocaleString('en')} parameters`);

const dir = await mkdtemp(join(tmpdir(), 'attn-bench-'));
t0 = t();
await model.savePretrained(dir);
const size = (await stat(join(dir, 'model.safetensors'))).size;
console.log(`savePretrained: ${secs(t() - t0)}, model.safetensors ${(size / 2 ** 20).toFixed(1)} MiB`);
t0 = t();
const loaded = await BertForSequenceClassification.fromPretrained(dir);
console.log(`fromPretrained: ${secs(t() - t0)}, missing ${loaded.loadingInfo.missingKeys.length}, unexpected ${loaded.loadingInfo.unexpectedKeys.length}`);
const same = loaded.namedParameters().every(([n, v]) => {
  const a = v.dataSync();
  const b = model.stateDict()[n].dataSync();
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
});
console.log(`round trip bit-identical: ${same}`);
model.dispose();
await rm(dir, { recursive: true, force: true });

loaded.train();
const ids = new Int32Array(batch * seq).map((_, i) => (i % seq === 0 ? 101 : 1000 + ((i * 7919) % 28000)));
const inputIds = tf.tensor2d(ids, [batch, seq], 'int32');
const attentionMask = tf.ones([batch, seq], 'int32');
const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32');
const vars = loaded.trainableParameters().map(([, v]) => v);

t0 = t();
tf.tidy(() => loaded.eval().forward({ inputIds, attentionMask }).logits.dataSync());
console.log(`inference forward: ${secs(t() - t0)} (${((batch * 1000) / (t() - t0)).toFixed(2)} seq/s)`);
loaded.train();

let baseline = -1;
for (let s = 0; s < steps; s++) {
  t0 = t();
  const { value, grads } = variableGrads(() => loaded.forward({ inputIds, attentionMask, labels }).loss, vars);
  tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name], 1e-5)))));
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  const ms = t() - t0;
  const n = tf.memory().numTensors;
  if (baseline < 0) baseline = n;
  console.log(`step ${s + 1}: loss ${loss.toFixed(4)}, ${secs(ms)} (${((batch * 1000) / ms).toFixed(2)} seq/s), tensors ${n} (leaked since step 1: ${n - baseline})`);
}
console.log(`memory: ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB in tensors`);
loaded.dispose();
tf.dispose([inputIds, attentionMask, labels]);
process.exit(0);
