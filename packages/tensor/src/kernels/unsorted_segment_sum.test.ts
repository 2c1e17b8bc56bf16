import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { onBackends } from './backend_parity';
import { segmentSumInto } from './unsorted_segment_sum';

describe('UnsortedSegmentSum', () => {
  it('segmentSumInto sums rows by id and drops out-of-range ids', () => {
    const out = new Float32Array(6);
    segmentSumInto(out, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), Int32Array.from([2, 0, 2, 9]), 3, 2);
    expect(Array.from(out)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('wasm and cpu kernels equal a hand-computed sum, and the gather gradient works on wasm', async () => {
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const [cpu, wasm] = await onBackends(['cpu', 'wasm'], () => [
      tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d([1, 3, 1], 'int32'), 4),
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor2d([[0, 2], [2, 2]], [2, 2], 'int32')), tf.tensor1d([1, 10]))))(
        tf.ones([3, 2]),
      ),
    ]);
    const expected = [0, 0, 6, 8, 0, 0, 3, 4];
    expect(cpu![0]!.values).toEqual(expected);
    expect(wasm![0]!.values).toEqual(expected);
    expect(wasm![0]!.shape).toEqual([4, 2]);
    expect(wasm![1]!.values).toEqual([1, 10, 0, 0, 3, 30]);
    expect(cpu![1]!.values).toEqual(wasm![1]!.values);
  });

  it('handles a 30k-row vocabulary gradient without blowing up memory', async () => {
    const [wasm] = await onBackends(['cpu'], () => {
      const ids = tf.tensor1d([5, 29_999, 5], 'int32');
      return tf.sum(tf.unsortedSegmentSum(tf.ones([3, 768]), ids, 30_000), 1);
    });
    const v = wasm![0]!.values;
    expect(v[5]).toBe(1536);
    expect(v[29_999]).toBe(768);
    expect(v.reduce((a, b) => a + b, 0)).toBe(3 * 768);
  });
});
