import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { ScaledDotProductAttention } from './scaled_dot_product_attention';
import { additiveAttentionMask } from './attention_mask';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('ScaledDotProductAttention', () => {
  it('computes softmax(QKᵀ/sqrt d + mask) V and masks keys only', () => {
    const rng = new Generator(1);
    const rand = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
    const [q, k, v] = [rand([2, 2, 3, 4]), rand([2, 2, 3, 4]), rand([2, 2, 3, 4])];
    const mask = additiveAttentionMask(tf.tensor2d([[1, 1, 0], [1, 1, 1]], undefined, 'int32'));
    const sdpa = new ScaledDotProductAttention({ dropoutRate: 0.5 }).eval();
    const { output, probs } = sdpa.forward(q!, k!, v!, { additiveMask: mask, returnProbs: true });
    const scores = tf.add(tf.div(tf.matMul(q!, k!, false, true), 2), mask);
    const want = tf.matMul(tf.softmax(scores), v!);
    const diff = tf.max(tf.abs(tf.sub(output, want))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    const p = probs!.arraySync() as number[][][][];
    for (const head of p[0]!) for (const row of head) expect(row[2]).toBe(0);
    for (const head of p[1]!) for (const row of head) expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
  });

  it('applies dropout to the probabilities only in training mode', () => {
    const ones = tf.ones([1, 1, 4, 8]);
    const sdpa = new ScaledDotProductAttention({ dropoutRate: 0.5 }, { rng: new Generator(2) });
    const train = sdpa.forward(ones, ones, ones).output.dataSync();
    expect(train.some((x) => Math.abs(x - 1) > 1e-3)).toBe(true);
    sdpa.eval();
    expect(sdpa.forward(ones, ones, ones).output.dataSync().every((x) => Math.abs(x - 1) < 1e-6)).toBe(true);
  });
});
