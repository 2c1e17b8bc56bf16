import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { compareWithStock as compare, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native UnsortedSegmentSum equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('UnsortedSegmentSum (embedding gradient) with repeated, missing and out-of-range ids', () => {
    const ids = [3, 0, 3, 7, 1, 3, 9, -1, 0, 5];
    compare(() => tf.unsortedSegmentSum(t([10, 33], 81), tf.tensor1d(ids, 'int32'), 9));
    const many = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1000);
    compare(() => tf.unsortedSegmentSum(t([3000, 40], 82), tf.tensor1d(many, 'int32'), 1000));
    const x = t([64, 16], 83);
    const table = tf.variable(t([500, 16], 84));
    const idx = tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 37) % 500), 'int32');
    compare(() => tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, idx), x)))(table));
    tf.dispose([x, table, idx]);
  });
});
