import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { MultiHeadAttention } from './multi_head_attention';
import { additiveAttentionMask } from './attention_mask';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('MultiHeadAttention', () => {
  it('uses HF BertAttention parameter names', () => {
    const mha = new MultiHeadAttention({ hiddenSize: 8, numHeads: 2 });
    expect(mha.namedParameters().map(([n]) => n)).toEqual([
      'self.query.weight', 'self.query.bias', 'self.key.weight', 'self.key.bias', 'self.value.weight', 'self.value.bias',
      'output.dense.weight', 'output.dense.bias', 'output.LayerNorm.weight', 'output.LayerNorm.bias',
    ]);
    mha.dispose();
  });

  it('splits heads as [B,S,heads,d] then transposes, and returns per-head probabilities', () => {
    const rng = new Generator(5);
    const mha = new MultiHeadAttention({ hiddenSize: 8, numHeads: 2, initializerRange: 0.5 }, { rng }).eval();
    const x = tf.tensor(Array.from({ length: 2 * 3 * 8 }, () => rng.normal()), [2, 3, 8]);
    const mask = additiveAttentionMask(tf.tensor2d([[1, 1, 0], [1, 1, 1]], undefined, 'int32'));
    const { output, probs } = mha.forward(x, { additiveMask: mask, outputAttentions: true });
    expect(output.shape).toEqual([2, 3, 8]);
    expect(probs!.shape).toEqual([2, 2, 3, 3]);
    // Head 1 of batch 0 by hand: columns 4..7 of Q and K.
    const q = mha.self.query.forward(x).arraySync() as number[][][];
    const k = mha.self.key.forward(x).arraySync() as number[][][];
    const p = probs!.arraySync() as number[][][][];
    for (let i = 0; i < 3; i++) {
      const s = [0, 1].map((j) => q[0]![i]!.slice(4).reduce((a, qv, d) => a + qv * k[0]![j]![4 + d]!, 0) / 2);
      const e = s.map((v) => Math.exp(v - Math.max(...s)));
      const z = e[0]! + e[1]!;
      expect(p[0]![1]![i]![0]).toBeCloseTo(e[0]! / z, 5);
      expect(p[0]![1]![i]![2]).toBe(0);
    }
    mha.dispose();
  });

  it('is post-norm by default: output rows are LayerNorm outputs (mean 0 with weight 1, bias 0)', () => {
    const mha = new MultiHeadAttention({ hiddenSize: 8, numHeads: 2 }).eval();
    const out = mha.forward(tf.randomNormal([1, 4, 8], 0, 1, 'float32', 3)).output;
    const mean = tf.mean(out, -1).dataSync();
    mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    mha.dispose();
  });
});
