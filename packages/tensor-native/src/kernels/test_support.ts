// Shared by the kernel tests: deterministic inputs, a relative-error check, native-vs-stock runs.
import { expect } from 'vitest';
import { tf } from '@attn/tensor';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';

/** Deterministic values in [-1, 1) (xorshift32) so failures reproduce. */
export function randomValues(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** |actual − expected| ≤ rtol · max(1, |expected|): relative, with a floor so sums that cancel are judged fairly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `worst relative error at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(rtol);
}

export const randomTensor = (shape: number[], seed: number): tf.Tensor => tf.tensor(randomValues(shape, seed), shape);

/** Runs f with the native kernels, then with the stock ones, and expects the same shape and values. */
export function compareWithStock(f: () => tf.Tensor, rtol = 1e-5): void {
  const native = tf.tidy(f);
  unregisterNativeKernels(tf);
  let stock: tf.Tensor;
  try {
    stock = tf.tidy(f);
  } finally {
    registerNativeKernels(tf);
  }
  expect(native.shape).toEqual(stock.shape);
  expectClose(native.dataSync(), stock.dataSync(), rtol);
  tf.dispose([native, stock]);
}
