// The AVX2 and portable code paths are picked only on CPUs without AVX-512; ATTN_NATIVE_ISA
// forces them so this machine tests all three. Each runs in a child process (the choice is
// made once per process) straight on the addon, against a float64 reference.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddonStatus } from './native_addon';

const status = nativeAddonStatus();

const script = `
const addon = require(process.argv[1]);
const heap = new ArrayBuffer(8 << 20);
const f = new Float32Array(heap);
let seed = 7;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
let worst = 0;
// The last two exceed 1 MFLOP, so they split over threads: by rows (m ≥ n), then by columns.
for (const [m, n, k] of [[1, 1, 1], [13, 37, 300], [50, 17, 9], [7, 70, 513], [150, 97, 300], [40, 260, 200]]) for (const ta of [0, 1]) for (const tb of [0, 1]) {
  const A = f.subarray(0, m * k), B = f.subarray(200000, 200000 + k * n), C = f.subarray(400000, 400000 + m * n);
  for (let i = 0; i < A.length; i++) A[i] = rnd();
  for (let i = 0; i < B.length; i++) B[i] = rnd();
  addon.gemm(heap, 0, 800000, 1600000, 1, m, n, k, ta, tb, 1, 1, null, null);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (ta ? A[p * m + i] : A[i * k + p]) * (tb ? B[j * k + p] : B[p * n + j]);
    worst = Math.max(worst, Math.abs(C[i * n + j] - s) / Math.max(1, Math.abs(s)));
  }
}
// Batched, split over the batch: C[b] = A[b]·B[b]ᵀ for 5 × [64, 128]·[64, 128]ᵀ.
{
  const bs = 5, m = 64, n = 64, k = 128;
  const A = f.subarray(0, bs * m * k), B = f.subarray(200000, 200000 + bs * n * k), C = f.subarray(400000, 400000 + bs * m * n);
  for (let i = 0; i < A.length; i++) A[i] = rnd();
  for (let i = 0; i < B.length; i++) B[i] = rnd();
  addon.gemm(heap, 0, 800000, 1600000, bs, m, n, k, 0, 1, bs, bs, null, null);
  for (let b = 0; b < bs; b++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += A[b * m * k + i * k + p] * B[b * n * k + j * k + p];
    worst = Math.max(worst, Math.abs(C[b * m * n + i * n + j] - s) / Math.max(1, Math.abs(s)));
  }
}
const X = f.subarray(0, 1000);
for (let i = 0; i < 1000; i++) X[i] = (i - 500) / 50;
addon.unary(heap, 0, 0, 8000, 1000);
addon.unary(heap, 1, 0, 16000, 1000);
addon.softmax(heap, 0, 24000, 10, 100);
addon.tanh(heap, 0, 32000, 1000);
const E = f.subarray(2000, 3000), R = f.subarray(4000, 5000), S = f.subarray(6000, 7000), T = f.subarray(8000, 9000);
let expWorst = 0, erfWorst = 0, softWorst = 0, tanhWorst = 0;
for (let i = 0; i < 1000; i++) {
  tanhWorst = Math.max(tanhWorst, Math.abs(T[i] - Math.tanh(X[i])) / Math.max(1e-3, Math.abs(Math.tanh(X[i]))));
  expWorst = Math.max(expWorst, Math.abs(E[i] - Math.exp(X[i])) / Math.exp(X[i]));
  const x = Math.abs(X[i]), t = 1 / (1 + 0.3275911 * x);
  const as = Math.sign(X[i]) * (1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x));
  erfWorst = Math.max(erfWorst, Math.abs(R[i] - as));
}
for (let r = 0; r < 10; r++) {
  const row = Array.from(X.subarray(r * 100, r * 100 + 100)), mx = Math.max(...row);
  const z = row.reduce((a, v) => a + Math.exp(v - mx), 0);
  for (let j = 0; j < 100; j++) softWorst = Math.max(softWorst, Math.abs(S[r * 100 + j] - Math.exp(row[j] - mx) / z) / Math.max(1e-30, Math.exp(row[j] - mx) / z));
}
console.log(JSON.stringify({ isa: addon.info().isa, threads: addon.info().threads, worst, expWorst, erfWorst, softWorst, tanhWorst }));
`;

describe.skipIf(!status.addon)('every ISA path of the addon', () => {
  for (const [isa, threads] of [['avx512', 1], ['avx512', 3], ['avx2', 2], ['portable', 2]] as const) {
    it(`${isa}, ${threads} threads: gemm (all transposes, edge tiles, k > 256), exp, erf, tanh and softmax match float64`, () => {
      const out = execFileSync(process.execPath, ['-e', script, status.path!], {
        env: { ...process.env, ATTN_NATIVE_ISA: isa, ATTN_NATIVE_THREADS: String(threads) },
        encoding: 'utf8',
      });
      const r = JSON.parse(out) as { isa: string; threads: number; worst: number; expWorst: number; erfWorst: number; softWorst: number; tanhWorst: number };
      // A CPU without the requested ISA falls back to a lower one; only the numbers must hold.
      if (isa !== 'avx512') expect(r.isa).toBe(isa);
      expect(r.threads).toBe(threads);
      expect(r.worst).toBeLessThan(1e-5);
      expect(r.expWorst).toBeLessThan(1e-6);
      expect(r.erfWorst).toBeLessThan(1e-6);
      expect(r.softWorst).toBeLessThan(1e-5);
      expect(r.tanhWorst).toBeLessThan(1e-6);
    });
  }
});
