import { tf, softmaxCrossEntropy } from '@attn/tensor';

/**
 * HF's causal-LM loss (ForCausalLMLoss): token t predicts label t + 1. The labels are shifted left and padded
 * with -100 rather than the logits sliced, so the [batch, seq, vocab] logits are not copied. Mean over the
 * labels that are not -100.
 */
export function causalLanguageModelingLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [b, s] = labels.shape as [number, number];
    const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const shifted = tf.concat([tf.slice(ids, [0, 1], [b, s - 1]), tf.fill([b, 1], -100, 'int32')], 1);
    return softmaxCrossEntropy(logits, shifted, { ignoreIndex: -100 });
  });
}
