import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { onBackends } from './backend_parity';

describe('wasm GatherV2 (row copies) equals cpu', () => {
  it.each([
    [[6, 5], [[0, 5, 2]], 0, 0],
    [[6, 5], [[4, 0], [1, 1]], 0, 0],
    [[3, 6, 4], [[5, 0, 2]], 1, 0],
    [[3, 6, 4], [[3, 3]], 2, 0],
    [[2, 6, 4], [[1, 0], [5, 2]], 1, 1],
  ] as Array<[number[], number[][], number, number]>)('x %j indices %j axis %i batchDims %i', async (shape, idx, axis, batchDims) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const [cpu, wasm] = await onBackends(['cpu', 'wasm'], () => [
      tf.gather(tf.range(0, n).reshape(shape), tf.tensor(idx, undefined, 'int32'), axis, batchDims),
      tf.gather(tf.range(0, n, 1, 'int32').reshape(shape), tf.tensor(idx, undefined, 'int32'), axis, batchDims),
    ]);
    expect(wasm).toEqual(cpu);
  });

  it('rejects out-of-range indices', async () => {
    await expect(onBackends(['wasm'], () => tf.gather(tf.ones([3, 2]), tf.tensor1d([3], 'int32')))).rejects.toThrow(/index 3/);
  });
});
