import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { SelfAttention } from './self_attention';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('SelfAttention', () => {
  it('with one position per sequence returns the value projection (softmax over one key is 1)', () => {
    const sa = new SelfAttention({ hiddenSize: 6, numHeads: 3, initializerRange: 0.5 }).eval();
    const x = tf.randomNormal([2, 1, 6], 0, 1, 'float32', 8);
    const { context } = sa.forward(x);
    const v = sa.value.forward(x);
    const diff = tf.max(tf.abs(tf.sub(context, v))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    sa.dispose();
  });

  it('rejects a hidden size that the heads do not divide', () => {
    expect(() => new SelfAttention({ hiddenSize: 10, numHeads: 3 })).toThrow(/not a multiple/);
  });
});
