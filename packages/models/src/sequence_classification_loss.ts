import { tf, softmaxCrossEntropy } from '@attn/tensor';
import type { PretrainedConfig } from './pretrained_config';

/**
 * HF's sequence-classification loss, for every family: MSE for regression (num_labels 1), mean cross-entropy
 * for single-label, BCE-with-logits for multi-label. HF infers the problem type from the label dtype when
 * config.json does not say; tfjs makes float32 by default, so the label shape decides here:
 * [batch] = class ids, [batch, numLabels] = multi-hot targets.
 */
export function sequenceClassificationLoss(config: PretrainedConfig, logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const numLabels = config.numLabels;
  const problem =
    config.problemType ?? (numLabels === 1 ? 'regression' : labels.rank === 1 ? 'single_label_classification' : 'multi_label_classification');
  if (problem === 'regression') {
    return tf.losses.meanSquaredError(tf.cast(labels, 'float32').reshape([-1]), logits.reshape([-1])) as tf.Scalar;
  }
  if (problem === 'multi_label_classification') {
    return tf.losses.sigmoidCrossEntropy(tf.cast(labels, 'float32'), logits, undefined, 0, tf.Reduction.MEAN) as tf.Scalar;
  }
  return softmaxCrossEntropy(logits, labels, { ignoreIndex: -100 });
}
