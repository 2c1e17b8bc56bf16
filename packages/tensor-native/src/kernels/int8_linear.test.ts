import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, int8Linear, quantizePerChannel, QuantizedWeight, setFusedKernelsEnabled, tf } from '@attn/tensor';
import { loadNativeAddon, nativeAddonStatus } from '../native_addon';
import { activeNativeKernels, registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { expectClose, randomValues } from './test_support';
import { INT8_LINEAR_KERNEL } from './int8_linear';

const addon = loadNativeAddon();

// The scheme in integer arithmetic (qgemm.h), run by the child processes below and in-process.
const REFERENCE = `
function int8Reference(x, m, k, w, scales, n, bias) {
  const f = Math.fround, even = (v) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
  const out = new Float32Array(m * n);
  for (let r = 0; r < m; r++) {
    let mn = 0, mx = 0;
    for (let p = 0; p < k; p++) { mn = Math.min(mn, x[r * k + p]); mx = Math.max(mx, x[r * k + p]); }
    let s = f(f(mx - mn) / 255);
    if (!(s > 0)) s = 1;
    const z = Math.min(255, Math.max(0, even(f(-mn / s))));
    const q = new Int32Array(k);
    for (let p = 0; p < k; p++) q[p] = Math.min(255, Math.max(0, even(f(x[r * k + p] / s)) + z));
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += (q[p] - z) * w[j * k + p];
      out[r * n + j] = acc * s * scales[j] + (bias ? bias[j] : 0);
    }
  }
  return out;
}`;
const int8Reference = new Function(`${REFERENCE}; return int8Reference;`)() as (
  x: Float32Array, m: number, k: number, w: Int8Array, scales: Float32Array, n: number, bias?: Float32Array,
) => Float32Array;

// Shapes: single row/column/feature, odd k (padding to 4), n off the 64-column panel, rows off the 6-row tile,
// enough rows to split over row blocks, few rows to split over columns; a zero row; saturating codes ±127.
const CHILD = `
${REFERENCE}
const addon = require(process.argv[1]);
if (process.argv[2]) addon.setThreads(Number(process.argv[2]));
let seed = 11;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
let worst = 0;
for (const [m, k, n] of [[1, 1, 1], [7, 13, 5], [6, 64, 64], [49, 130, 67], [100, 257, 130], [3, 3072, 128], [2, 768, 2]]) {
  const x = Float32Array.from({ length: m * k }, () => (rnd() - 0.3) * 4);
  if (m > 3) x.fill(0, k, 2 * k);
  const w = Int8Array.from({ length: n * k }, (_, i) => (i % 97 === 0 ? 127 : i % 89 === 0 ? -127 : Math.floor(rnd() * 255) - 127));
  const scales = Float32Array.from({ length: n }, () => rnd() * 0.01 + 1e-3);
  const bias = Float32Array.from({ length: n }, () => rnd() - 0.5);
  const heap = new ArrayBuffer(4 * (m * k + m * n + n));
  const f = new Float32Array(heap);
  f.set(x, 0);
  f.set(bias, m * k + m * n);
  const packed = addon.int8Pack(w, scales, n, k);
  for (const withBias of [true, false]) {
    addon.int8Linear(heap, 0, 4 * m * k, withBias ? 4 * (m * k + m * n) : null, m, packed);
    const want = int8Reference(x, m, k, w, scales, n, withBias ? bias : undefined);
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(f[m * k + i] - want[i]) / Math.max(1, Math.abs(want[i])));
  }
}
let threw = '';
try { addon.int8Linear(new ArrayBuffer(64), 0, 0, null, 100, addon.int8Pack(new Int8Array(4), new Float32Array(1), 1, 4)); } catch (e) { threw = e.message; }
console.log(JSON.stringify({ isa: addon.int8Isa(), threads: addon.info().threads, worst, threw }));
`;

describe.skipIf(!addon)('int8Linear native kernel: every ISA path against the integer reference', () => {
  for (const isa of ['', 'avx512vnni', 'avx2', 'portable']) {
    for (const threads of ['1', '2']) {
      it(`ATTN_NATIVE_ISA=${isa || '(auto)'}, ${threads} thread(s)`, () => {
        const out = execFileSync(process.execPath, ['-e', CHILD, nativeAddonStatus().path!, threads], {
          env: { ...process.env, ATTN_NATIVE_ISA: isa },
          encoding: 'utf8',
        });
        const r = JSON.parse(out.trim().split('\n').pop()!) as { isa: string; worst: number; threw: string; threads: number };
        if (isa) expect(r.isa).toBe(isa);
        expect(r.threads).toBe(Number(threads));
        expect(r.worst).toBeLessThan(1e-5);
        expect(r.threw).toMatch(/x \(byte offset 0, 400 floats\) is outside the 64-byte heap/);
      });
    }
  }
});

describe.skipIf(!addon)('int8Linear on wasm + native', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
    expect(activeNativeKernels(tf)).toContain(INT8_LINEAR_KERNEL);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  for (const [batch, seq, k, n] of [[1, 1, 1, 1], [2, 9, 33, 70], [3, 50, 128, 512], [1, 2048, 16, 3]] as const) {
    it(`[${batch}, ${seq}, ${k}] → ${n}: native = integer reference = the tfjs-op fallback, no tensor leaked`, () => {
      const x = randomValues([batch * seq * k], 3 + k);
      for (let i = 0; i < k && seq > 1; i++) x[k + i] = 0; // a fully zero row
      const kernel = tf.tensor2d(randomValues([k, n], 5 + n), [k, n]);
      const w = quantizePerChannel(kernel);
      const bias = randomValues([n], 9);
      const [xt, bt] = [tf.tensor3d(x, [batch, seq, k]), tf.tensor1d(bias)];
      const before = tf.memory().numTensors;
      const y = int8Linear(xt, w, bt);
      expect(y.shape).toEqual([batch, seq, n]);
      const native = y.dataSync();
      expectClose(native, int8Reference(x, batch * seq, k, w.values, w.scales, n, bias), 1e-5);
      const prev = setFusedKernelsEnabled(false);
      const fallback = int8Linear(xt, w, bt);
      setFusedKernelsEnabled(prev);
      expectClose(native, fallback.dataSync(), 1e-5);
      tf.dispose([y, fallback]);
      w.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xt, bt, kernel]);
    });
  }

  it('zero rows give an empty output; a wrong bias is one line naming the kernel', () => {
    const w = new QuantizedWeight(3, 4, new Int8Array(12).fill(1), new Float32Array([1, 1, 1]));
    const y = int8Linear(tf.zeros([0, 4]), w);
    expect(y.shape).toEqual([0, 3]);
    expect(() => int8Linear(tf.zeros([2, 4]), w, tf.zeros([5]))).toThrow(/AttnInt8Linear: bias must be \[3\], got \[5\]/);
    tf.dispose(y);
  });
});
