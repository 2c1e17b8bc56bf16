import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { sumLayout } from './sum';
import { compareWithStock as compare, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native Sum equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('Sum over leading axes (bias gradients), odd sizes', () => {
    for (const [shape, axis, keep] of [
      [[4097, 5], 0, false],
      [[333, 129], [0], true],
      [[7, 91, 67], [0, 1], false],
      [[7, 91, 67], [1, 0], true],
      [[5000, 1], 0, false],
      // ≥ 2 × 32768 elements: split over threads by column blocks.
      [[700, 129], 0, false],
    ] as Array<[number[], number | number[], boolean]>) {
      compare(() => tf.sum(t(shape, 11), axis, keep));
    }
  });

  it('Sum over trailing axes, the whole tensor, and empty dims', () => {
    for (const [shape, axis, keep] of [
      [[129, 130], -1, false],
      [[3, 7000], 1, true],
      [[9, 33, 31], [1, 2], false],
      [[61, 67], undefined, false],
      [[513, 130], -1, false],
    ] as Array<[number[], number | number[] | undefined, boolean]>) {
      compare(() => tf.sum(t(shape, 12), axis, keep));
    }
  });

  it('Sum over empty dims gives zeros (stock wasm leaves them uninitialised)', () => {
    const r = tf.tidy(() => [tf.sum(tf.zeros([0, 5000]), 0), tf.sum(tf.zeros([5000, 0]), 1, true), tf.sum(tf.zeros([3, 0, 4]), [0, 1])]);
    expect(r.map((x) => x.shape)).toEqual([[5000], [5000, 1], [4]]);
    for (const x of r) expect(x.dataSync().every((v) => v === 0)).toBe(true);
    tf.dispose(r);
  });

  it('Sum over middle axes falls back to stock and still matches', () => {
    compare(() => tf.sum(t([9, 600, 7], 13), 1));
  });
});

describe('layout', () => {
  it('sumLayout accepts leading prefixes and trailing suffixes only', () => {
    expect(sumLayout([4, 5, 6], [0])).toEqual({ outer: 4, inner: 30, trailing: false });
    expect(sumLayout([4, 5, 6], [1, 0])).toEqual({ outer: 20, inner: 6, trailing: false });
    expect(sumLayout([4, 5, 6], [-1])).toEqual({ outer: 20, inner: 6, trailing: true });
    expect(sumLayout([4, 5, 6], [0, 1, 2])).toEqual({ outer: 1, inner: 120, trailing: true });
    expect(sumLayout([4, 5, 6], [1])).toBeNull();
    expect(sumLayout([4, 5, 6], [0, 2])).toBeNull();
  });
});
