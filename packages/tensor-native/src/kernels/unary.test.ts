import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { activeNativeKernels, registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { compareWithStock as compare, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native Exp and Erf equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('Exp and Erf over odd sizes, including underflow, overflow-free large inputs and ±0', () => {
    compare(() => tf.exp(tf.mul(t([97, 301], 61), 20)));
    compare(() => tf.exp(t([300, 301], 65)));
    compare(() => tf.erf(t([300, 301], 66)));
    compare(() => tf.exp(tf.sub(tf.mul(t([16385], 62), 60), 60)));
    compare(() => tf.erf(tf.mul(t([129, 257], 63), 4)));
    compare(() => tf.erf(tf.mul(t([20001], 64), 0.01)), 2e-5);
    const special = tf.tidy(() => tf.concat([tf.tensor([0, -0, -200, 5, -5]), tf.zeros([20000])]));
    compare(() => tf.exp(special));
    compare(() => tf.erf(special));
    special.dispose();
  });
});

describe.skipIf(!addon?.tanh)('native Tanh equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('is registered; a [32, 256] pooler output (native) and 100 elements (stock, below the 1,024 floor) agree', () => {
    expect(activeNativeKernels(tf)).toContain('Tanh');
    compare(() => tf.tanh(t([32, 256], 71)));
    compare(() => tf.tanh(t([100], 70)));
  });

  it('over odd sizes and every range: the polynomial below 0.625, exp above, saturation, ±0, ±Inf and NaN', () => {
    compare(() => tf.tanh(t([97, 301], 72)));
    compare(() => tf.tanh(tf.mul(t([1025], 73), 0.625)));
    compare(() => tf.tanh(tf.mul(t([129, 257], 74), 12)));
    compare(() => tf.tanh(tf.mul(t([4099], 75), 1e-4)), 2e-6);
    const special = tf.tidy(() => tf.concat([tf.tensor([0, -0, 0.625, -0.625, 0.6249999, 9, -9, 50, -50, 1e-30, Infinity, -Infinity]), tf.zeros([2000])]));
    compare(() => tf.tanh(special));
    const y = tf.tidy(() => tf.tanh(tf.concat([tf.tensor([NaN, 1]), tf.zeros([2000])])));
    const v = y.dataSync();
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v[1]).toBeCloseTo(Math.tanh(1), 6);
    tf.dispose([special, y]);
  });
});
