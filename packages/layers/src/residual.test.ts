import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { Residual } from './residual';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Residual', () => {
  it('post-norm normalises the sum; pre-norm normalises the sublayer input and leaves the sum raw', () => {
    const x = tf.tensor2d([[1, 2, 3, 10]]);
    const post = new Residual({ inFeatures: 4, hiddenSize: 4 });
    const pre = new Residual({ inFeatures: 4, hiddenSize: 4, normFirst: true });
    for (const r of [post, pre]) {
      r.dense.weight.assign(tf.eye(4));
      r.LayerNorm.weight.assign(tf.fill([4], 2));
    }
    const seen: number[][] = [];
    const id = (t: tf.Tensor) => (seen.push(Array.from(t.dataSync())), t);
    const a = post.forward(x, id).dataSync();
    expect(seen[0]).toEqual([1, 2, 3, 10]);
    expect(Array.from(a).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 4);
    const b = pre.forward(x, id).dataSync();
    // pre-norm: x + LN(x) with LN weight 2
    expect(seen[1]!.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 4);
    expect(b[3]! - 10).toBeCloseTo(seen[1]![3]!, 5);
    post.dispose();
    pre.dispose();
  });
});
