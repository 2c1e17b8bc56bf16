#!/usr/bin/env node
// Peak memory of loading a BERT-base-sized safetensors file (110M float32 parameters, ~440 MB)
// with @attn/tensor's loadSafetensors, measured in a fresh process (VmHWM = peak resident set).
// Usage: (cd packages/tensor && npx tsup) && node tools/bench/safetensors.mjs [--backend cpu|wasm] [--scale 1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const backend = arg('--backend', 'cpu');
const scale = Number(arg('--scale', '1'));
const dist = new URL('../../packages/tensor/dist/index.js', import.meta.url).href;

if (process.argv[2] === '--child-write') {
  const { tf, initBackend, saveSafetensors } = await import(dist);
  await initBackend({ backend: 'cpu' });
  const h = 768, layers = Math.round(12 * Number(process.argv[4]));
  const tensors = { 'embeddings.word_embeddings.weight': tf.zeros([30522, h]) };
  for (let l = 0; l < layers; l++) {
    for (const n of ['query', 'key', 'value', 'output']) tensors[`layer.${l}.${n}.weight`] = tf.zeros([h, h]);
    tensors[`layer.${l}.intermediate.weight`] = tf.zeros([3072, h]);
    tensors[`layer.${l}.output.weight`] = tf.zeros([h, 3072]);
  }
  await saveSafetensors(process.argv[3], tensors, { format: 'pt' });
  process.exit(0);
}
if (process.argv[2] === '--child-load') {
  const { tf, initBackend, loadSafetensors } = await import(dist);
  await initBackend({ backend: process.argv[4] });
  // Peak resident set so far (Linux).
  const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  const base = hwm();
  const t0 = performance.now();
  const weights = await loadSafetensors(process.argv[3]);
  const ms = performance.now() - t0;
  const n = Object.values(weights).reduce((a, t) => a + t.size, 0);
  console.log(JSON.stringify({ baseline: base, peak: hwm(), ms, params: n }));
  tf.dispose(Object.values(weights));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'attn-st-bench-'));
const file = join(dir, 'model.safetensors');
try {
  const w = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child-write', file, String(scale)], { stdio: 'inherit' });
  if (w.status !== 0) throw new Error('writing the test file failed');
  const size = statSync(file).size;
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child-load', file, backend], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop();
  const { baseline, peak, ms, params } = JSON.parse(line);
  const mb = (b) => (b / 2 ** 20).toFixed(0) + ' MiB';
  console.log(`file ${mb(size)} (${(params / 1e6).toFixed(1)}M params), backend ${backend}: load ${(ms / 1000).toFixed(2)} s, ` +
    `peak RSS ${mb(peak)} over a ${mb(baseline)} baseline = +${mb(peak - baseline)} (${((peak - baseline) / size).toFixed(2)}x the file)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
