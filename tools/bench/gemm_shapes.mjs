#!/usr/bin/env node
// GFLOP/s of @attn/tensor-native's GEMM against torch.matmul (MKL) on the matrix products of a BERT training step
// (forward, input and weight gradients, attention), both sides with the same threads, each the best of 5 timed
// rounds, in one invocation (PyTorch in a child process after attn). Issue #24 goal 2: where the GEMM stands.
//   node tools/bench/gemm_shapes.mjs [--threads 2] [--python PATH] [--models tiny,mini,base]
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn } from './attn_runtime.mjs';
import { findPython } from './side_by_side.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const threads = Number(arg('--threads', '2'));
const models = arg('--models', 'tiny,mini,base').split(',');
// [name, batch, m, n, k, transposeA, transposeB]: tokens T = batch 32 × length (448 = SST-2 tiny batch, 4096 = 32 × 128).
const SHAPES = {
  tiny: [
    ['tiny T448 x W[128,128]', 1, 448, 128, 128, 0, 0],
    ['tiny T448 x W[128,512]', 1, 448, 512, 128, 0, 0],
    ['tiny dX T448 x W[128,512]^T', 1, 448, 128, 512, 0, 1],
    ['tiny dW X^T[128,448] x dY', 1, 128, 128, 448, 1, 0],
    ['tiny T4096 x W[128,512]', 1, 4096, 512, 128, 0, 0],
  ],
  mini: [
    ['mini T4096 x W[256,256]', 1, 4096, 256, 256, 0, 0],
    ['mini T4096 x W[256,1024]', 1, 4096, 1024, 256, 0, 0],
    ['mini T4096 x W[1024,256]', 1, 4096, 256, 1024, 0, 0],
    ['mini dX T4096 x W[256,1024]^T', 1, 4096, 256, 1024, 0, 1],
    ['mini dW X^T[256,4096] x dY[4096,1024]', 1, 256, 1024, 4096, 1, 0],
    ['mini QK^T 128 x [128,64]x[128,64]^T', 128, 128, 128, 64, 0, 1],
    ['mini PV 128 x [128,128]x[128,64]', 128, 128, 64, 128, 0, 0],
  ],
  base: [
    ['base T4096 x W[768,768]', 1, 4096, 768, 768, 0, 0],
    ['base T4096 x W[768,3072]', 1, 4096, 3072, 768, 0, 0],
  ],
};
const shapes = models.flatMap((m) => SHAPES[m] ?? []);

const native = await importAttn('tensor-native');
const addon = native.loadNativeAddon();
if (!addon) throw new Error(`@attn/tensor-native's addon is not built: ${native.nativeAddonStatus().reason}`);
addon.setThreads(threads);
const attn = {};
for (const [name, batch, m, n, k, ta, tb] of shapes) {
  const a = batch * m * k, b = batch * k * n, c = batch * m * n;
  const heap = new ArrayBuffer(4 * (a + b + c));
  const f = new Float32Array(heap);
  for (let i = 0; i < a + b; i++) f[i] = Math.random() - 0.5;
  const run = () => addon.gemm(heap, 0, 4 * a, 4 * (a + b), batch, m, n, k, ta, tb, batch, batch, null, null);
  const reps = Math.max(3, Math.min(500, Math.round(4e8 / (2 * batch * m * n * k))));
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / reps);
  }
  attn[name] = best;
}
const py = findPython(arg('--python'));
// The same environment as train.mjs gives PyTorch (findPython's, OMP_WAIT_POLICY=PASSIVE included).
const torch = py.python
  ? JSON.parse(execFileSync(py.python, [join(dirname(fileURLToPath(import.meta.url)), 'gemm_shapes.py'), JSON.stringify(shapes), String(threads)], { encoding: 'utf8', env: py.env }))
  : {};
console.log(`GEMM GFLOP/s, ${threads} threads each, best of 5 rounds; ${cpus()[0]?.model} (${cpus().length} logical CPUs), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`attn: @attn/tensor-native ${addon.info().isa}; PyTorch: ${py.python ? `torch ${py.versions.torch} matmul (${py.python}, OMP_WAIT_POLICY=${py.env.OMP_WAIT_POLICY})` : `not run: ${py.reason}`}`);
console.log('| product | m × n × k (batch) | attn GFLOP/s | PyTorch GFLOP/s | attn / PyTorch |');
console.log('|---|---|---|---|---|');
for (const [name, batch, m, n, k] of shapes) {
  const g = (t) => (t ? (2 * batch * m * n * k) / t / 1e9 : undefined);
  const x = g(attn[name]), y = g(torch[name]);
  console.log(`| ${name} | ${m} × ${n} × ${k}${batch > 1 ? ` (${batch})` : ''} | ${x.toFixed(1)} | ${y ? y.toFixed(1) : '—'} | ${y ? (x / y).toFixed(2) : '—'} |`);
}
