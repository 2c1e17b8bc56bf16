import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { tf } from './tf';
import { prefetchValues } from './prefetch_values';
import { serializeSafetensors } from './safetensors/serialize';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('prefetchValues', () => {
  it('leaves values, tensor count and a later synchronous serialization as they were', async () => {
    const a = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
    const b = tf.tensor1d([5, 6], 'int32');
    const before = tf.memory().numTensors;
    const want = serializeSafetensors({ a, b });
    await prefetchValues([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    expect(serializeSafetensors({ a, b })).toEqual(want);
    a.assign(tf.tensor2d([[7, 8], [9, 10]]));
    await prefetchValues([a]);
    expect(Array.from(a.dataSync())).toEqual([7, 8, 9, 10]);
    tf.dispose([a, b]);
  });
});
