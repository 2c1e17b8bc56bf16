import { tf } from '../tf';

/** softmax(scores + additiveMask) over the last axis; the mask broadcasts (0 keep, large negative drop). */
export function maskedSoftmax(scores: tf.Tensor, additiveMask?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.softmax(additiveMask ? tf.add(scores, additiveMask) : scores, -1));
}
