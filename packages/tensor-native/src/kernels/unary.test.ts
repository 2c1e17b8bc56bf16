import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
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
