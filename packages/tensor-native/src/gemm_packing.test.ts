// The GEMM's packing choices (and a weight packed once, gemmPack / gemmPacked), straight on the addon against a float64 reference: an untransposed A read in place
// by the AVX-512 micro-kernel (row counts that leave a partial 12-row sliver), and one matrix split over tasks with
// the shared operand packed once for all of them (B for a row split, a transposed A for a column split), across
// several KC = 256 blocks and, for B, more than one NC = 512 column block; the AVX-512 packing copies (a transposed B in
// 16 x 16 register blocks with a k tail, a transposed A, an untransposed B) and the one-slice-per-thread split of a long k.
// Every ISA, 1 and 2 threads; each run in a child process because the ISA (and the loop order) is picked once per
// process. ATTN_GEMM_ORDER=jr (column slivers outer, the order before 2026-12-07) must give C bit for bit.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddonStatus } from './native_addon';

const status = nativeAddonStatus();

const script = `
const addon = require(process.argv[1]);
addon.setThreads(Number(process.argv[2]));
let seed = 11;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
let worst = 0;
// [m, n, k, ta, tb]: row splits (m >= n) with B packed once (2,200 x 2,100: two NC column blocks); column splits
// (n > m) with a transposed A packed once; k = 520 gives 3 KC blocks; m = 13 / 25 / 401 leave partial 12-row slivers.
const shapes = [[401, 97, 520, 0, 0], [401, 97, 520, 0, 1], [2200, 2100, 8, 0, 1], [300, 2100, 40, 0, 0], [300, 2100, 40, 1, 1],
  [25, 700, 520, 1, 0], [25, 700, 520, 1, 1], [13, 333, 300, 0, 1], [60, 1000, 300, 1, 0], [449, 128, 128, 0, 0],
  // B of 560,000 floats: above the 2 MiB shared-packing cap before 2026-12-07, packed once since (BERT-base's weights).
  [900, 700, 800, 0, 0], [900, 700, 800, 0, 1],
  // transposed B with k % 16 != 0 (the register transpose's tail); a long k (a weight gradient) with a transposed A.
  [130, 64, 70, 0, 1], [37, 96, 21, 0, 1], [50, 300, 2100, 1, 0], [300, 50, 2100, 1, 1]];
for (const [m, n, k, ta, tb] of shapes) {
  const heap = new ArrayBuffer(4 * (m * k + k * n + m * n));
  const f = new Float32Array(heap);
  const A = f.subarray(0, m * k), B = f.subarray(m * k, m * k + k * n), C = f.subarray(m * k + k * n);
  for (let i = 0; i < A.length; i++) A[i] = rnd();
  for (let i = 0; i < B.length; i++) B[i] = rnd();
  for (let rep = 0; rep < 2; rep++) { // twice: the second call reuses the kept packing buffer
    C.fill(NaN);
    addon.gemm(heap, 0, 4 * m * k, 4 * (m * k + k * n), 1, m, n, k, ta, tb, 1, 1, null, null);
    for (let i = 0; i < m; i += (i % 7 === 3 ? 1 : 9)) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? A[p * m + i] : A[i * k + p]) * (tb ? B[j * k + p] : B[p * n + j]);
      const e = Math.abs(C[i * n + j] - s) / Math.max(1, Math.abs(s));
      worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
    }
  }
}
// A constant weight packed once (gemmPack) and multiplied later (gemmPacked): m = 1 and 5 (rows the plain path reads
// in place as skinny products), partial slivers, several KC and NC blocks, n = 1.
let packedWorst = 0;
for (const [m, n, k] of [[1, 33, 7], [5, 100, 520], [13, 333, 300], [401, 97, 520], [900, 700, 800], [300, 2100, 40], [7, 1, 3], [4, 6, 0]]) {
  const heap = new ArrayBuffer(4 * (m * k + k * n + m * n));
  const f = new Float32Array(heap);
  const A = f.subarray(0, m * k), B = f.subarray(m * k, m * k + k * n), C = f.subarray(m * k + k * n);
  for (let i = 0; i < A.length; i++) A[i] = rnd();
  for (let i = 0; i < B.length; i++) B[i] = rnd();
  const packed = addon.gemmPack(heap, 4 * m * k, k, n);
  const Bref = Float32Array.from(B);
  B.fill(NaN); // the pack is a copy: B itself is never read again
  for (let rep = 0; rep < 2; rep++) {
    C.fill(NaN);
    addon.gemmPacked(heap, 0, 4 * (m * k + k * n), m, packed);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p] * Bref[p * n + j];
      const e = Math.abs(C[i * n + j] - s) / Math.max(1, Math.abs(s));
      packedWorst = Number.isNaN(e) ? Infinity : Math.max(packedWorst, e);
    }
  }
}
let refused = '';
try { addon.gemmPacked(new ArrayBuffer(64), 0, 0, 1, new ArrayBuffer(256)); } catch (e) { refused = e.message; }
// A hash (FNV-1a over the float bits) of every output of a few products, for the bit-for-bit comparison of the two
// loop orders.
const outputs = [];
for (const [m, n, k, ta, tb] of [[401, 97, 520, 0, 1], [50, 300, 2100, 1, 0], [130, 1100, 70, 0, 0], [37, 96, 21, 1, 1]]) {
  const heap = new ArrayBuffer(4 * (m * k + k * n + m * n));
  const f = new Float32Array(heap);
  for (let i = 0; i < m * k + k * n; i++) f[i] = rnd();
  addon.gemm(heap, 0, 4 * m * k, 4 * (m * k + k * n), 1, m, n, k, ta, tb, 1, 1, null, null);
  let h = 2166136261;
  for (const w of new Uint32Array(heap, 4 * (m * k + k * n))) h = Math.imul(h ^ w, 16777619) >>> 0;
  outputs.push(h);
}
console.log(JSON.stringify({ worst, packedWorst, refused, isa: addon.info().isa, outputs }));
`;

function run(isa: string, threads: number, order = ''): { worst: number; packedWorst: number; refused: string; isa: string; outputs: number[] } {
  const env = { ...process.env, ATTN_NATIVE_ISA: isa === 'avx512' ? '' : isa, ATTN_GEMM_ORDER: order };
  return JSON.parse(execFileSync(process.execPath, ['-e', script, status.path!, String(threads)], { env, encoding: 'utf8' }));
}

describe.skipIf(!status.addon)('GEMM packing paths', () => {
  it.each(['avx512', 'avx2', 'portable'].flatMap((isa) => [1, 2].map((t) => [isa, t] as const)))('%s, %i thread(s)', (isa, threads) => {
    const r = run(isa, threads);
    if (isa !== 'avx512' || r.isa === 'avx512') expect(r.isa).toBe(isa);
    expect(r.worst).toBeLessThan(1e-5);
    expect(r.packedWorst).toBeLessThan(1e-5);
    expect(r.refused).toMatch(/gemmPacked packed weight must be the ArrayBuffer gemmPack returned/);
    if (threads === 2) {
      const old = run(isa, threads, 'jr');
      expect(old.worst).toBeLessThan(1e-5);
      expect(old.outputs).toEqual(r.outputs);
    }
  });
});
