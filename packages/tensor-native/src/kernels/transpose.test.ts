import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { compareWithStock as compare, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native Transpose equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('Transpose with an identity permutation shares the buffer; other permutations are stock', () => {
    const x = t([30, 40], 85);
    const same = tf.transpose(x, [0, 1]);
    expect(same.dataId).toBe(x.dataId);
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    same.dispose();
    expect(x.isDisposed).toBe(false);
    expect(x.dataSync().length).toBe(1200);
    compare(() => tf.transpose(t([3, 4, 5], 86), [2, 0, 1]));
    x.dispose();
  });
});
