import { tf } from '@attn/tensor';

// Large enough that exp() of a masked score is exactly 0 in float32, small enough to stay finite after adding scores.
const MASKED = 1e9;

/**
 * attention_mask [batch, seq] (1 = attend, 0 = padding) → additive bias [batch, 1, 1, seq]:
 * broadcast over heads and query positions, so it masks keys only (as HF BERT).
 */
export function additiveAttentionMask(attentionMask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [batch, seq] = attentionMask.shape as [number, number];
    const m = tf.cast(attentionMask, 'float32').reshape([batch, 1, 1, seq]);
    // (m - 1) * 1e9 rather than (1 - m) * -1e9, so kept keys get +0 (not -0).
    return tf.mul(tf.sub(m, 1), MASKED);
  });
}
