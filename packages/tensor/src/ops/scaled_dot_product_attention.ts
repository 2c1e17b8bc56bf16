import { tf } from '../tf';
import { matMul } from './mat_mul';
import { maskedSoftmax } from './masked_softmax';

export interface AttentionResult {
  /** [batch, heads, seq, headDim] */
  output: tf.Tensor;
  /** [batch, heads, seq, seq], only when requested */
  probs?: tf.Tensor;
}

export interface AttentionOptions {
  /** Additive mask broadcastable to [batch, heads, seq, seq] (0 keep, large negative drop). */
  additiveMask?: tf.Tensor;
  returnProbs?: boolean;
  /** Dropout on the attention probabilities (training only). */
  dropoutRate?: number;
  /** Seed for the dropout mask. */
  seed?: number;
}

/** softmax(Q Kᵀ / sqrt(d) + mask) V for q, k, v shaped [batch, heads, seq, headDim]. */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: AttentionOptions = {},
): AttentionResult {
  const headDim = q.shape[q.shape.length - 1]!;
  let probs: tf.Tensor | undefined;
  const output = tf.tidy(() => {
    const scores = tf.div(matMul(q, k, false, true), Math.sqrt(headDim)); // [b, h, s, s]
    const p = maskedSoftmax(scores, opts.additiveMask);
    if (opts.returnProbs) probs = tf.keep(p);
    const pd = opts.dropoutRate && opts.dropoutRate > 0 ? tf.dropout(p, opts.dropoutRate, undefined, opts.seed) : p;
    return matMul(pd, v);
  });
  return probs ? { output, probs } : { output };
}
