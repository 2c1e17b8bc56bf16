import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { broadcastLayout } from './binary';
import { compareWithStock as compare, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native Add, Sub, Multiply, RealDiv equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('Add, Sub, Multiply, RealDiv with same shapes, row, scalar and reversed broadcasts', () => {
    // 77,100 elements: large enough to split over two threads.
    const big = () => t([300, 257], 21);
    const row = () => t([257], 22);
    const cases: Array<[string, () => tf.Tensor]> = [
      ['same', () => t([300, 257], 23)],
      ['row', row],
      ['row [1,257]', () => tf.reshape(row(), [1, 257])],
      ['rank-3 row', () => t([1, 300, 257], 24)],
      ['scalar', () => tf.scalar(0.75)],
      ['column', () => t([300, 1], 25)],
    ];
    for (const [name, other] of cases) {
      for (const op of [tf.add, tf.sub, tf.mul, tf.div] as Array<(a: tf.Tensor, b: tf.Tensor) => tf.Tensor>) {
        // Divisors kept away from zero so the comparison measures the kernel, not cancellation.
        const safe = (x: tf.Tensor) => (op === tf.div ? tf.add(tf.abs(x), 0.5) : x);
        compare(() => op(big(), safe(other())));
        compare(() => op(safe(other()), safe(big())));
      }
      expect(name).toBeTruthy();
    }
  });

  it('grouped broadcasts: attention masks [B,1,1,S] and [B,1,S,S] over scores [B,h,S,S]', () => {
    compare(() => tf.add(t([8, 3, 40, 40], 35), t([8, 1, 1, 40], 36)));
    compare(() => tf.add(t([8, 1, 40, 40], 37), t([8, 3, 40, 40], 38)));
    compare(() => tf.sub(t([8, 1, 1, 40], 39), t([8, 3, 40, 40], 40)));
    compare(() => tf.mul(t([3, 8, 2, 40, 20], 41), t([8, 1, 40, 20], 42)));
  });

  it('binary ops fall back for other broadcasts and for int32', () => {
    compare(() => tf.add(t([64, 1, 300], 31), t([1, 70, 300], 32)));
    compare(() => tf.mul(t([300, 70], 33), t([1, 300, 1], 34)));
    compare(() => tf.mul(t([5, 300, 70], 33), t([300, 1], 34)));
    const ints = tf.tidy(() => tf.add(tf.ones([200, 100], 'int32'), tf.ones([200, 100], 'int32')));
    expect(ints.dtype).toBe('int32');
    expect(ints.dataSync().every((v) => v === 2)).toBe(true);
    ints.dispose();
  });
});

describe('layout', () => {
  it('broadcastLayout recognises same shape, row and scalar', () => {
    expect(broadcastLayout([8, 4], [8, 4])).toEqual({ outer: 8, inner: 4, mode: 0 });
    expect(broadcastLayout([8, 4], [4])).toEqual({ outer: 8, inner: 4, mode: 1 });
    expect(broadcastLayout([2, 8, 4], [1, 8, 4])).toEqual({ outer: 2, inner: 32, mode: 1 });
    expect(broadcastLayout([8, 4], [])).toEqual({ outer: 1, inner: 32, mode: 2 });
    expect(broadcastLayout([8, 4], [8, 1])).toEqual({ outer: 8, inner: 4, mode: 3 });
    expect(broadcastLayout([2, 8, 4], [2, 8, 1])).toEqual({ outer: 16, inner: 4, mode: 3 });
    expect(broadcastLayout([2, 8, 4], [8, 1])).toBeNull();
    expect(broadcastLayout([8, 1], [8, 1])).toEqual({ outer: 8, inner: 1, mode: 0 });
    expect(broadcastLayout([4, 2, 16, 16], [4, 1, 1, 16])).toEqual({ outer: 128, inner: 16, mode: 4, rep: 32, bRows: 4 });
    expect(broadcastLayout([3, 4, 2, 16], [4, 1, 16])).toEqual({ outer: 24, inner: 16, mode: 4, rep: 2, bRows: 4 });
    expect(broadcastLayout([4, 2, 16, 16], [4, 1, 16, 1])).toBeNull();
    expect(broadcastLayout([4], [8, 4])).toBeNull();
  });
});
