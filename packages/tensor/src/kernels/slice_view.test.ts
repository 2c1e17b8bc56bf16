import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { onBackends } from './backend_parity';

describe('wasm Slice (heap view) equals cpu', () => {
  it.each([
    [[10], [3], [4]],
    [[4, 5], [1, 0], [2, 5]],
    [[4, 5], [1, 2], [3, 2]],
    [[3, 4, 5], [1, 1, 0], [2, 3, 5]],
    [[3, 4, 5], [0, 0, 1], [3, 4, 3]],
    [[2, 3, 4, 5], [1, 0, 2, 1], [1, 3, 2, 4]],
    [[2, 3, 4, 5, 2], [0, 1, 1, 0, 1], [2, 2, 3, 5, 1]],
    [[4, 3], [0, 0], [0, 3]],
  ] as Array<[number[], number[], number[]]>)('x %j begin %j size %j', async (shape, begin, size) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const [cpu, wasm] = await onBackends(['cpu', 'wasm'], () => [
      tf.slice(tf.range(0, n).reshape(shape), begin, size),
      tf.slice(tf.range(0, n, 1, 'int32').reshape(shape), begin, size),
      tf.slice(tf.cast(tf.range(0, n, 1, 'int32').reshape(shape).mod(2), 'bool'), begin, size),
    ]);
    expect(wasm).toEqual(cpu);
  });
});
