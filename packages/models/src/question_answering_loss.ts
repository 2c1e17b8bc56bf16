import { tf, softmaxCrossEntropy } from '@attn/tensor';

/**
 * HF's span loss, for every family: (CE_start + CE_end) / 2 with the softmax over all positions, padding
 * included; positions are clamped to [0, seq] and seq is ignored (an answer truncated away adds no loss).
 * startLogits, endLogits [batch, seq]; startPositions, endPositions [batch].
 */
export function questionAnsweringLoss(startLogits: tf.Tensor, endLogits: tf.Tensor, startPositions: tf.Tensor, endPositions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const seq = startLogits.shape[1]!;
    const clamp = (p: tf.Tensor) => tf.minimum(tf.maximum(tf.cast(tf.reshape(p, [-1]), 'int32'), tf.scalar(0, 'int32')), tf.scalar(seq, 'int32'));
    const startLoss = softmaxCrossEntropy(startLogits, clamp(startPositions), { ignoreIndex: seq });
    const endLoss = softmaxCrossEntropy(endLogits, clamp(endPositions), { ignoreIndex: seq });
    return tf.div(tf.add(startLoss, endLoss), 2) as tf.Scalar;
  });
}
