import { tf } from '../tf';
import { dropoutMask } from '../random/dropout';
import { globalGenerator } from '../random/global_generator';
import { customOp } from './custom_op';
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
  /** Seed for the dropout mask (default: drawn from the global generator). */
  seed?: number;
}

/**
 * Fused attention. Saves q, k, v, the probabilities and the dropout mask; the backward is
 *   dP' = dO Vᵀ, dV = P'ᵀ dO, dP = dP' ⊙ M, dS = P ⊙ (dP − Σ dP ⊙ P), dQ = c dS K, dK = c dSᵀ Q
 * with c = 1/sqrt(headDim), P' = P ⊙ M (M the scaled dropout mask) — every product a matMul on
 * the fast path.
 */
function attentionOp(scale: number, drop: tf.Tensor | undefined, mask: tf.Tensor | undefined) {
  return customOp(([q, k, v], save) => {
    const scores = matMul(tf.mul(q!, scale), k!, false, true); // [b, h, s, s]
    const p = tf.softmax(mask ? tf.add(scores, mask) : scores, -1);
    const pd = drop ? tf.mul(p, drop) : p;
    // The dropout mask is saved too: the caller's tidy frees it before the backward pass.
    save(drop ? [q!, k!, v!, p, drop, pd] : [q!, k!, v!, p]);
    return {
      value: matMul(pd, v!),
      gradFunc: (dO, [qs, ks, vs, ps, dm, pdSaved]) => {
        const pds = pdSaved ?? ps;
        const dV = matMul(pds!, dO, true, false);
        let dP = matMul(dO, vs!, false, true);
        if (dm) dP = tf.mul(dP, dm);
        const dS = tf.mul(ps!, tf.sub(dP, tf.sum(tf.mul(dP, ps!), -1, true)));
        const dQ = tf.mul(matMul(dS, ks!), scale);
        const dK = tf.mul(matMul(dS, qs!, true, false), scale);
        return [dQ, dK, dV];
      },
    };
  });
}

/** softmax(Q Kᵀ / sqrt(d) + mask) V for q, k, v shaped [batch, heads, seq, headDim]. Fused gradient. */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: AttentionOptions = {},
): AttentionResult {
  const headDim = q.shape[q.shape.length - 1]!;
  const scale = 1 / Math.sqrt(headDim);
  const rate = opts.dropoutRate ?? 0;
  if (opts.returnProbs) {
    // The composed path, so the probabilities can be returned as well (inspection, tests).
    let probs: tf.Tensor | undefined;
    const output = tf.tidy(() => {
      const p = maskedSoftmax(matMul(tf.mul(q, scale), k, false, true), opts.additiveMask);
      probs = tf.keep(p);
      const pd = rate > 0 ? tf.mul(p, dropoutMask(p.shape, rate, opts.seed ?? globalGenerator().nextSeed())) : p;
      return matMul(pd, v);
    });
    return { output, probs: probs! };
  }
  return tf.tidy(() => {
    const seqQ = q.shape[q.rank - 2]!;
    const seqK = k.shape[k.rank - 2]!;
    const drop =
      rate > 0
        ? dropoutMask([...q.shape.slice(0, -2), seqQ, seqK], rate, opts.seed ?? globalGenerator().nextSeed())
        : undefined;
    return { output: attentionOp(scale, drop, opts.additiveMask)(q, k, v) };
  });
}

