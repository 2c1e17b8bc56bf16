import { tf } from '../tf';
import { customOp } from './custom_op';

export interface CrossEntropyOptions {
  /** Label value that contributes nothing (HF / torch: -100). */
  ignoreIndex?: number;
}

/**
 * Mean cross-entropy of logits [..., classes] against integer labels [...] (natural log),
 * averaged over the labels that are not ignoreIndex — torch CrossEntropyLoss(ignore_index=-100).
 * Fused: the forward gathers the label's log-probability (no one-hot over a 30k vocabulary); the
 * gradient is (softmax − onehot) ⊙ valid / count.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, opts: CrossEntropyOptions = {}): tf.Scalar {
  const ignoreIndex = opts.ignoreIndex ?? -100;
  return tf.tidy(() => {
    const numClasses = logits.shape[logits.shape.length - 1]!;
    // No Cast kernel when the labels are int32 already, and an int32 scalar for ignoreIndex: a
    // mixed-dtype notEqual would cast both operands (two copies).
    const flatLabels = tf.reshape(labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32'), [-1]);
    const isValid = tf.notEqual(flatLabels, tf.scalar(ignoreIndex, 'int32'));
    const valid = tf.cast(isValid, 'float32'); // [rows]
    const count = tf.maximum(tf.sum(valid), 1);
    const safeLabels = tf.where(isValid, flatLabels, tf.zerosLike(flatLabels));
    const op = customOp(([x], save) => {
      const logp = tf.logSoftmax(tf.reshape(x!, [-1, numClasses]), -1);
      // Closure tensors are saved too: the surrounding tidy frees them before the backward pass.
      save([logp, safeLabels, valid, count]);
      const picked = tf.reshape(tf.gather(logp, tf.expandDims(safeLabels, 1), 1, 1), [-1]); // [rows]
      return {
        value: tf.div(tf.neg(tf.sum(tf.mul(picked, valid))), count),
        gradFunc: (dy, [lp, lab, vd, ct]) => {
          const rowScale = tf.expandDims(tf.div(tf.mul(vd!, dy), ct!), 1); // [rows, 1]
          // The one-hot cast to float32 explicitly: sub(float32, int32) would cast both operands, i.e.
          // also copy the [rows, classes] exp. (oneHot(..., 'float32') is wrong on wasm: it writes int bits.)
          const g = tf.mul(tf.sub(tf.exp(lp!), tf.cast(tf.oneHot(lab!, numClasses), 'float32')), rowScale);
          return [tf.reshape(g, x!.shape)];
        },
      };
    });
    return op(logits) as tf.Scalar;
  });
}
