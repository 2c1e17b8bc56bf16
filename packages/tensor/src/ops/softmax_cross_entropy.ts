import { tf } from '../tf';

export interface CrossEntropyOptions {
  /** Label value that contributes nothing (HF / torch: -100). */
  ignoreIndex?: number;
}

/**
 * Mean cross-entropy of logits [..., classes] against integer labels [...] (natural log),
 * averaged over the labels that are not ignoreIndex — torch CrossEntropyLoss(ignore_index=-100).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, opts: CrossEntropyOptions = {}): tf.Scalar {
  const ignoreIndex = opts.ignoreIndex ?? -100;
  return tf.tidy(() => {
    const numClasses = logits.shape[logits.shape.length - 1]!;
    const flatLogits = tf.reshape(logits, [-1, numClasses]);
    const flatLabels = tf.reshape(tf.cast(labels, 'int32'), [-1]);
    const valid = tf.notEqual(flatLabels, ignoreIndex);
    const safeLabels = tf.where(valid, flatLabels, tf.zerosLike(flatLabels));
    const logp = tf.logSoftmax(flatLogits, -1);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(safeLabels, numClasses)), -1);
    const w = tf.cast(valid, 'float32');
    return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
  });
}
