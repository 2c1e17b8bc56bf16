import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { RotaryEmbedding } from './rotary_embedding';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('RotaryEmbedding', () => {
  it('keeps norms, rotates position 0 by nothing, and makes q·k depend on the offset only', () => {
    const rope = new RotaryEmbedding({ dim: 4, base: 10000 });
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
    const { cos, sin } = rope.cosSin(1, 0);
    expect(Array.from(rope.apply(x, cos, sin).dataSync())).toEqual([1, 2, 3, 4]);
    const dot = (pq: number, pk: number) => {
      const a = rope.cosSin(1, pq);
      const b = rope.cosSin(1, pk);
      return tf.sum(tf.mul(rope.apply(x, a.cos, a.sin), rope.apply(x, b.cos, b.sin))).dataSync()[0]!;
    };
    expect(dot(5, 3)).toBeCloseTo(dot(12, 10), 4);
    const r = rope.apply(x, rope.cosSin(1, 7).cos, rope.cosSin(1, 7).sin);
    expect(tf.norm(r).dataSync()[0]).toBeCloseTo(Math.sqrt(30), 5);
  });

  it('rotates the halves as HF rotate_half: (x1, x2) → (x1 cos − x2 sin, x2 cos + x1 sin) with inv_freq = base^(−2i/dim)', () => {
    const rope = new RotaryEmbedding({ dim: 4, base: 100 });
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
    const p = 3;
    const { cos, sin } = rope.cosSin(1, p);
    const got = Array.from(rope.apply(x, cos, sin).dataSync());
    const f = [1, 1 / 10]; // 100^0, 100^(-2/4)
    const want = [
      1 * Math.cos(p * f[0]!) - 3 * Math.sin(p * f[0]!),
      2 * Math.cos(p * f[1]!) - 4 * Math.sin(p * f[1]!),
      3 * Math.cos(p * f[0]!) + 1 * Math.sin(p * f[0]!),
      4 * Math.cos(p * f[1]!) + 2 * Math.sin(p * f[1]!),
    ];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
  });

  it('cosSinAt gives per-row positions (left padding) equal to cosSin at each position', () => {
    const rope = new RotaryEmbedding({ dim: 8, base: 10000 });
    const at = rope.cosSinAt(tf.tensor2d([[0, 1, 2], [5, 6, 7]], [2, 3], 'int32'));
    expect(at.cos.shape).toEqual([2, 1, 3, 8]);
    const ref = rope.cosSin(3, 5);
    const row1 = tf.slice(at.cos, [1, 0, 0, 0], [1, 1, 3, 8]).reshape([3, 8]);
    expect(tf.max(tf.abs(tf.sub(row1, ref.cos))).dataSync()[0]).toBeLessThan(1e-6);
    const row1s = tf.slice(at.sin, [1, 0, 0, 0], [1, 1, 3, 8]).reshape([3, 8]);
    expect(tf.max(tf.abs(tf.sub(row1s, ref.sin))).dataSync()[0]).toBeLessThan(1e-6);
  });
});
