import { tf } from '@attn/tensor';

/** Thrown when the pooled token cannot be found (no pad_token_id and a batch of several rows, as HF). */
export class LastTokenPoolingError extends Error {
  override name = 'LastTokenPoolingError';
}

/**
 * Decoder sequence classification (GPT-2, Llama): each row's logits at its last token that is not
 * pad_token_id, found from the ids as HF does (the rightmost non-pad position, so left padding works too).
 * logits [batch, seq, n] → [batch, n]. A one-hot sum rather than a gather, so the gradient is plain.
 */
export function poolLastNonPaddingToken(logits: tf.Tensor, inputIds: tf.Tensor, padTokenId: number | null): tf.Tensor {
  return tf.tidy(() => {
    const [b, s] = inputIds.shape as [number, number];
    let last: tf.Tensor;
    if (padTokenId === null) {
      if (b > 1) {
        throw new LastTokenPoolingError(
          `Cannot pool a batch of ${b} sequences without a padding token: config.json has pad_token_id null. Set pad_token_id (to the tokenizer's pad or eos id) or classify one sequence at a time.`,
        );
      }
      last = tf.fill([b], s - 1, 'int32');
    } else {
      const ids = inputIds.dtype === 'int32' ? inputIds : tf.cast(inputIds, 'int32');
      const notPad = tf.cast(tf.notEqual(ids, tf.scalar(padTokenId, 'int32')), 'int32');
      last = tf.argMax(tf.mul(tf.range(0, s, 1, 'int32').reshape([1, s]), notPad), 1);
    }
    const pick = tf.expandDims(tf.oneHot(tf.cast(last, 'int32'), s), 2); // [b, s, 1]
    return tf.sum(tf.mul(logits, tf.cast(pick, 'float32')), 1);
  });
}
