import { tf } from '../tf';
import { customOp } from './custom_op';

// dS = P ⊙ (dP − Σ_j dP ⊙ P): only the probabilities are saved. The mask is a constant of the op
// (it comes from data), so no [batch, heads, seq, seq] reduction is spent on a gradient for it.
function maskedSoftmaxOp(mask: tf.Tensor | undefined) {
  return customOp(([scores], save) => {
    const p = tf.softmax(mask ? tf.add(scores!, mask) : scores!, -1);
    save([p]);
    return {
      value: p,
      gradFunc: (dy, [ps]) => [tf.mul(ps!, tf.sub(dy, tf.sum(tf.mul(dy, ps!), -1, true)))],
    };
  });
}

const unmasked = maskedSoftmaxOp(undefined);

/**
 * softmax(scores + additiveMask) over the last axis; the mask broadcasts (0 keep, large negative
 * drop) and is treated as a constant (no gradient flows to it). Fused gradient.
 */
export function maskedSoftmax(scores: tf.Tensor, additiveMask?: tf.Tensor): tf.Tensor {
  return additiveMask ? maskedSoftmaxOp(additiveMask)(scores) : unmasked(scores);
}
