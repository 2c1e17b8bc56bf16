import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { attentionImplementation, registerAttentionImplementation, causalAttentionMask, repeatKeyValueHeads } from './attention_implementation';
import { RMSNorm } from './rms_norm';
import { RotaryEmbedding } from './rotary_embedding';

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

describe('RMSNorm and RotaryEmbedding', () => {
  it('RMSNorm divides by the root mean square, without centring', () => {
    const n = new RMSNorm({ normalizedShape: 2, eps: 0 });
    expect(Array.from(n.forward(tf.tensor2d([[3, 4]])).dataSync()).map((x) => +x.toFixed(5))).toEqual([0.84853, 1.13137]);
  });

  it('rotary keeps norms, rotates position 0 by nothing, and makes q·k depend on the offset only', () => {
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
  });
});
