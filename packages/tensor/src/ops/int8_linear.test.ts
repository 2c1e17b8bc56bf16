import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initBackend } from '../backend';
import { Generator } from '../random/generator';
import { int8Linear, QuantizationError, quantizePerChannel, QuantizedWeight } from './int8_linear';
import { setFusedKernelsEnabled } from './fused_dispatch';

/** The scheme in plain integer arithmetic: what every path must compute. */
export function int8LinearReference(x: Float32Array, m: number, w: QuantizedWeight, bias?: Float32Array): Float32Array {
  const { inFeatures: k, outFeatures: n, values, scales } = w;
  const f = Math.fround;
  const even = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
  const out = new Float32Array(m * n);
  for (let r = 0; r < m; r++) {
    let mn = 0;
    let mx = 0;
    for (let p = 0; p < k; p++) (mn = Math.min(mn, x[r * k + p]!)), (mx = Math.max(mx, x[r * k + p]!));
    let s = f(f(mx - mn) / 255);
    if (!(s > 0)) s = 1;
    const z = Math.min(255, Math.max(0, even(f(-mn / s))));
    const q = Array.from({ length: k }, (_, p) => Math.min(255, Math.max(0, even(f(x[r * k + p]! / s)) + z)));
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += (q[p]! - z) * values[j * k + p]!;
      out[r * n + j] = acc * s * scales[j]! + (bias ? bias[j]! : 0);
    }
  }
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let ref = 1e-3;
  for (let i = 0; i < a.length; i++) (d = Math.max(d, Math.abs(a[i]! - b[i]!))), (ref = Math.max(ref, Math.abs(b[i]!)));
  return d / ref;
}

describe('quantizePerChannel', () => {
  it('is symmetric per output channel: scale = max|w| / 127, codes round half to even, zero channel scale 1', () => {
    // kernel [in 3, out 3]: column 0 peaks at 2.54, column 1 is zero, column 2 has a tie at 0.5 · scale.
    const kernel = tf.tensor2d([2.54, 0, 1, -1.27, 0, 0.5 * (1 / 127) * 1, 0.01, 0, -1], [3, 3]);
    const q = quantizePerChannel(kernel);
    expect(q.outFeatures).toBe(3);
    expect(q.inFeatures).toBe(3);
    expect(q.scales[0]).toBeCloseTo(0.02, 7);
    expect(q.scales[1]).toBe(1);
    expect(Array.from(q.values.subarray(0, 3))).toEqual([127, -64, 0]); // -63.5 → -64 (even); 0.5 → 0
    expect(Array.from(q.values.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(Array.from(q.values.subarray(6, 9))).toEqual([127, 0, -127]); // 0.5/127 / (1/127) = 0.5 → 0
    const back = q.dequantize();
    expect(back.shape).toEqual([3, 3]);
    expect(back.dataSync()[0]).toBeCloseTo(2.54, 5);
    tf.dispose([kernel, back]);
  });

  it('names the field that is wrong', () => {
    expect(() => new QuantizedWeight(2, 3, new Int8Array(5), new Float32Array([1, 1]), 'm.safetensors: "fc.weight"')).toThrow(
      /m\.safetensors: "fc\.weight": 5 int8 values for a \[2, 3\] weight/,
    );
    expect(() => new QuantizedWeight(2, 3, new Int8Array(6), new Float32Array([1, 0]), 'x')).toThrow(QuantizationError);
    expect(() => new QuantizedWeight(2, 3, new Int8Array(6), new Float32Array([1]), 'x')).toThrow(/1 scales for 2 output channels/);
  });
});

describe('int8Linear (tfjs-op fallback)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`matches the integer reference on odd shapes (${backend})`, async () => {
      await initBackend({ backend });
      const prev = setFusedKernelsEnabled(false); // the fallback even where a native kernel is registered
      try {
        const rng = new Generator(5);
        for (const [m, k, n] of [[1, 1, 1], [7, 13, 5], [3, 130, 67], [2, 64, 2]] as const) {
          const x = Float32Array.from({ length: m * k }, () => rng.normal() * 2 + 0.3);
          if (m > 2) x.fill(0, 0, k); // an all-zero row
          const kernel = tf.tensor2d(Float32Array.from({ length: k * n }, () => rng.normal() * 0.05), [k, n]);
          const bias = Float32Array.from({ length: n }, () => rng.normal());
          const w = quantizePerChannel(kernel);
          const [x3, x2, b] = [tf.tensor3d(x, [1, m, k]), tf.tensor2d(x, [m, k]), tf.tensor1d(bias)];
          const before = tf.memory().numTensors;
          const y = int8Linear(x3, w, b);
          expect(y.shape).toEqual([1, m, n]);
          expect(maxRelDiff(y.dataSync(), int8LinearReference(x, m, w, bias))).toBeLessThan(1e-5);
          const noBias = int8Linear(x2, w);
          expect(maxRelDiff(noBias.dataSync(), int8LinearReference(x, m, w))).toBeLessThan(1e-5);
          tf.dispose([y, noBias]);
          w.dispose(); // frees the fallback's prepared codes and scales
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([x3, x2, b]);
          tf.dispose(kernel);
        }
      } finally {
        setFusedKernelsEnabled(prev);
      }
    });
  }

  it('is close to the float Linear (quantization error only)', async () => {
    await initBackend({ backend: 'cpu' });
    const rng = new Generator(9);
    const x = tf.tensor2d(Float32Array.from({ length: 16 * 64 }, () => rng.normal()), [16, 64]);
    const kernel = tf.tensor2d(Float32Array.from({ length: 64 * 32 }, () => rng.normal() * 0.1), [64, 32]);
    const w = quantizePerChannel(kernel);
    const y = tf.tidy(() => int8Linear(x, w)); // prepares the weight inside a tidy, as a model's forward does
    const y2 = int8Linear(x, w); // the cached codes survived it
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
    tf.dispose(y2);
    const ref = tf.matMul(x, kernel);
    expect(maxRelDiff(y.dataSync(), ref.dataSync())).toBeLessThan(0.03);
    tf.dispose([x, kernel, y, ref]);
    w.dispose();
  });

  it('rejects an input of the wrong width', () => {
    const w = new QuantizedWeight(2, 3, new Int8Array(6), new Float32Array([1, 1]));
    expect(() => int8Linear(tf.zeros([4, 5]), w)).toThrow(/input has 5 features, the weight takes 3/);
  });
});
