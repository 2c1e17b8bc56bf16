import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { Embedding } from './embedding';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Embedding', () => {
  it('starts with a zero padding row and gathers rows', () => {
    const e = new Embedding({ numEmbeddings: 5, embeddingDim: 3, paddingIdx: 0 });
    expect(Array.from(e.weight.dataSync().slice(0, 3))).toEqual([0, 0, 0]);
    e.weight.assign(tf.range(0, 15).reshape([5, 3]).toFloat());
    const y = e.forward(tf.tensor2d([[0, 2], [4, 2]], undefined, 'int32'));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 6, 7, 8, 12, 13, 14, 6, 7, 8]);
    e.dispose();
  });

  it('gives the padding row no gradient from the lookup and sums repeated ids (torch padding_idx)', () => {
    const e = new Embedding({ numEmbeddings: 4, embeddingDim: 2, paddingIdx: 0 });
    e.weight.assign(tf.tensor2d([[1, 1], [2, 2], [3, 3], [4, 4]]));
    const ids = tf.tensor2d([[2, 0, 2], [0, 1, 3]], undefined, 'int32');
    const dy = tf.tensor3d([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(e.forward(ids), dy)) as tf.Scalar, [e.weight]);
    const g = grads[e.weight.name]!;
    expect(Array.from(g.dataSync())).toEqual([0, 0, 9, 10, 6, 8, 11, 12]);
    tf.dispose([ids, dy, g]);
    e.dispose();
  });

  it('without paddingIdx every row gets its gradient', () => {
    const e = new Embedding({ numEmbeddings: 3, embeddingDim: 1 });
    const ids = tf.tensor1d([0, 0, 2], 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(e.forward(ids)) as tf.Scalar, [e.weight]);
    expect(Array.from(grads[e.weight.name]!.dataSync())).toEqual([2, 0, 1]);
    tf.dispose([ids, grads[e.weight.name]!]);
    e.dispose();
  });
});
