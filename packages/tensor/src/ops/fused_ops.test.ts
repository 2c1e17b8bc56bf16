import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { Generator } from '../random/generator';
import { countNewTensors } from '../memory/tensor_leak';
import { checkGradients } from './gradient_check';
import { gelu } from './gelu';
import { layerNorm } from './layer_norm';
import { maskedSoftmax } from './masked_softmax';
import { scaledDotProductAttention } from './scaled_dot_product_attention';
import { softmaxCrossEntropy } from './softmax_cross_entropy';

// The unfused compositions the fused ops replace: the reference for values and gradients.
const ref = {
  gelu: (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  layerNorm: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps = 1e-12) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
  },
  maskedSoftmax: (s: tf.Tensor, m?: tf.Tensor) => tf.softmax(m ? tf.add(s, m) : s, -1),
  attention: (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, m?: tf.Tensor) =>
    tf.matMul(ref.maskedSoftmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(q.shape[3]!)), m), v),
  crossEntropy: (logits: tf.Tensor, labels: tf.Tensor, ignore = -100) => {
    const c = logits.shape[logits.rank - 1]!;
    const fl = tf.reshape(logits, [-1, c]);
    const lab = tf.reshape(labels, [-1]);
    const valid = tf.notEqual(lab, ignore);
    const picked = tf.sum(tf.mul(tf.logSoftmax(fl), tf.oneHot(tf.where(valid, lab, tf.zerosLike(lab)), c)), -1);
    const w = tf.cast(valid, 'float32');
    return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
  },
};

const rng = new Generator(123);
const randn = (shape: number[], std = 1) =>
  tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => std * rng.normal()), shape);

/** max |a − b| / max(max|b|, 1e-6) */
function rel(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-6));
}

/** Compares value and all input gradients (under a random projection) of fused vs reference. */
function compare(fused: (...x: tf.Tensor[]) => tf.Tensor, reference: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-5) {
  tf.tidy(() => {
    const y = fused(...inputs);
    const w = randn(y.shape);
    expect(rel(y, reference(...inputs))).toBeLessThan(tol);
    const gf = tf.grads((...x: tf.Tensor[]) => tf.sum(tf.mul(fused(...x), w)))(inputs);
    const gr = tf.grads((...x: tf.Tensor[]) => tf.sum(tf.mul(reference(...x), w)))(inputs);
    gf.forEach((g, i) => expect(rel(g, gr[i]!)).toBeLessThan(tol));
  });
}

/** Finite differences on cpu float32 along random directions; also checks no tensor leaks. */
async function fd(fused: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 2e-3, step = 1e-2) {
  const w = tf.tidy(() => randn(fused(...inputs).shape));
  const loss = (...x: tf.Tensor[]) => tf.sum(tf.mul(fused(...x), w)) as tf.Scalar;
  const r = checkGradients(loss, inputs, { step, seed: 5 });
  for (const e of r.relError) expect(e).toBeLessThan(tol);
  for (const a of r.analytic) expect(Math.abs(a)).toBeGreaterThan(1e-4);
  expect(await countNewTensors(() => tf.grads(loss)(inputs))).toBe(0);
  expect(await countNewTensors(() => fused(...inputs))).toBe(0);
  w.dispose();
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('fused ops vs unfused composition and finite differences (cpu, float32)', () => {
  it('gelu', async () => {
    const x = randn([4, 33], 2);
    compare(gelu, ref.gelu, [x]);
    await fd(gelu, [x]);
    x.dispose();
  });

  it('layerNorm (eps 1e-12 and 1e-5)', async () => {
    const x = tf.add(randn([3, 5, 16], 2), 0.7);
    const g = tf.add(randn([16], 0.3), 1);
    const b = randn([16], 0.3);
    compare((a, c, d) => layerNorm(a, c, d), (a, c, d) => ref.layerNorm(a, c, d), [x, g, b], 2e-5);
    compare((a, c, d) => layerNorm(a, c, d, 1e-5), (a, c, d) => ref.layerNorm(a, c, d, 1e-5), [x, g, b], 2e-5);
    await fd((a, c, d) => layerNorm(a, c, d), [x, g, b], 5e-3);
    tf.dispose([x, g, b]);
  });

  it('maskedSoftmax with a broadcast additive mask, and without', async () => {
    const s = randn([2, 3, 5, 7]);
    const m = tf.mul(tf.tensor4d([0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1], [2, 1, 1, 7]), -1e4);
    compare((x) => maskedSoftmax(x, m), (x) => ref.maskedSoftmax(x, m), [s]);
    compare((x) => maskedSoftmax(x), (x) => ref.maskedSoftmax(x), [s]);
    await fd((x) => maskedSoftmax(x, m), [s], 2e-3);
    tf.dispose([s, m]);
  });

  it('scaledDotProductAttention with mask; returnProbs path; dropout seed reproducible', async () => {
    const [q, k, v] = [randn([2, 2, 6, 8]), randn([2, 2, 6, 8]), randn([2, 2, 6, 8])];
    const m = tf.mul(tf.tensor4d([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1], [2, 1, 1, 6]), -1e4);
    const fused = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => scaledDotProductAttention(a, b, c, { additiveMask: m }).output;
    compare(fused, (a, b, c) => ref.attention(a, b, c, m), [q, k, v]);
    await fd(fused, [q, k, v], 3e-3);
    const withProbs = scaledDotProductAttention(q, k, v, { additiveMask: m, returnProbs: true });
    expect(rel(withProbs.output, fused(q, k, v))).toBeLessThan(1e-6);
    expect(withProbs.probs!.shape).toEqual([2, 2, 6, 6]);
    // Masked keys get zero probability; rows sum to 1.
    const p = withProbs.probs!.arraySync() as number[][][][];
    expect(p[0]![0]![0]![4]).toBeLessThan(1e-6);
    expect(p[1]![1]![3]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const drop = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      scaledDotProductAttention(a, b, c, { additiveMask: m, dropoutRate: 0.3, seed: 9 }).output;
    expect(rel(drop(q, k, v), drop(q, k, v))).toBe(0);
    expect(rel(drop(q, k, v), fused(q, k, v))).toBeGreaterThan(1e-3);
    // Dropout path: fused probs path (returnProbs) and fused-gradient path agree for the same seed.
    const dropProbs = scaledDotProductAttention(q, k, v, { additiveMask: m, dropoutRate: 0.3, seed: 9, returnProbs: true });
    expect(rel(dropProbs.output, drop(q, k, v))).toBeLessThan(1e-6);
    await fd(drop, [q, k, v], 3e-3);
    tf.dispose([q, k, v, m, withProbs.output, withProbs.probs!, dropProbs.output, dropProbs.probs!]);
  });

  it('softmaxCrossEntropy with ignoreIndex -100 (torch semantics)', async () => {
    const logits = randn([2, 5, 7], 2);
    const labels = tf.tensor2d([[1, -100, 6, 0, 3], [-100, -100, 2, 2, 5]], [2, 5], 'int32');
    compare((x) => softmaxCrossEntropy(x, labels), (x) => ref.crossEntropy(x, labels), [logits]);
    await fd((x) => softmaxCrossEntropy(x, labels), [logits], 2e-3);
    // Hand check against the definition on a tiny case: mean of -log softmax at the label.
    const l = tf.tensor2d([[0, Math.log(3)], [2, 0]]);
    const loss = softmaxCrossEntropy(l, tf.tensor1d([1, -100], 'int32')).dataSync()[0]!;
    expect(loss).toBeCloseTo(-Math.log(3 / 4), 6);
    const allIgnored = softmaxCrossEntropy(l, tf.tensor1d([-100, -100], 'int32')).dataSync()[0]!;
    expect(Math.abs(allIgnored)).toBe(0);
    tf.dispose([logits, labels, l]);
  });
});
