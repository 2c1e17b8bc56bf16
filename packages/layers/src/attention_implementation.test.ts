import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { attentionImplementation, registerAttentionImplementation, causalAttentionMask, repeatKeyValueHeads } from './attention_implementation';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('attention implementations', () => {
  it('causal eager attention equals attention over each prefix computed alone', () => {
    const [b, h, s, d] = [2, 2, 5, 4];
    const q = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 1);
    const k = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 2);
    const v = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 3);
    const full = attentionImplementation('eager')(q, k, v, { causal: true }).output;
    for (let i = 0; i < s; i++) {
      const qi = tf.slice(q, [0, 0, i, 0], [b, h, 1, d]);
      const ki = tf.slice(k, [0, 0, 0, 0], [b, h, i + 1, d]);
      const vi = tf.slice(v, [0, 0, 0, 0], [b, h, i + 1, d]);
      // one query against its prefix: the causal mask with an offset (a KV cache) must allow all of it
      const row = attentionImplementation('eager')(qi, ki, vi, { causal: true }).output;
      const ref = tf.slice(full, [0, 0, i, 0], [b, h, 1, d]);
      expect(tf.max(tf.abs(tf.sub(row, ref))).dataSync()[0]).toBeLessThan(1e-6);
    }
    expect(Array.from(causalAttentionMask(2, 3).dataSync())).toEqual([0, 0, -1e9, 0, 0, 0]);
  });

  it('grouped-query heads repeat each key/value head for its group, and unknown names are refused', () => {
    const kv = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
    expect(Array.from(repeatKeyValueHeads(kv, 4).dataSync())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    expect(() => attentionImplementation('flash')).toThrow(/registered: eager/);
    registerAttentionImplementation('test-double', (q) => ({ output: tf.zerosLike(q) }));
    expect(() => registerAttentionImplementation('test-double', (q) => ({ output: q }))).toThrow(/already/);
  });
});
