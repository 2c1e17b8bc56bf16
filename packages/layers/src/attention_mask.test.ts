import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { additiveAttentionMask } from './attention_mask';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('additiveAttentionMask', () => {
  it('turns 1/0 [batch, seq] into a [batch, 1, 1, seq] bias that zeroes masked keys after softmax', () => {
    const m = additiveAttentionMask(tf.tensor2d([[1, 1, 0], [1, 0, 0]], undefined, 'int32'));
    expect(m.shape).toEqual([2, 1, 1, 3]);
    const d = m.dataSync();
    expect([d[0], d[1], d[3]]).toEqual([0, 0, 0]);
    expect(d[2]).toBeLessThan(-1e8);
    const p = tf.softmax(tf.add(tf.fill([2, 1, 3, 3], 30), m)).dataSync();
    expect(p[2]).toBe(0);
    expect(p[0]).toBeCloseTo(0.5, 6);
  });
});
