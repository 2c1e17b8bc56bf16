import type { tf } from '@attn/tensor';

// Type aliases, not interfaces: an alias is assignable to Batch (Record<string, tf.Tensor>), so a typed
// batch still goes wherever any batch does, and it satisfies @attn/models' ModelInputs structurally.

/** What every encoder collator pads: int32 [batch, seq]. */
export type EncodedBatch = {
  inputIds: tf.Tensor;
  /** 1 = token, 0 = padding. */
  attentionMask: tf.Tensor;
  /** Segment ids (0 = sentence A, 1 = sentence B). */
  tokenTypeIds: tf.Tensor;
};

/** classificationCollator: `labels` int32 [batch] when every item has a label. */
export type ClassificationBatch = EncodedBatch & { labels?: tf.Tensor };

/** tokenClassificationCollator: `labels` int32 [batch, seq], -100 on special tokens, later sub-tokens and padding. */
export type TokenClassificationBatch = EncodedBatch & { labels: tf.Tensor };

/** qaCollator: the answer's first and last token index, int32 [batch], for training features. */
export type QuestionAnsweringBatch = EncodedBatch & { startPositions?: tf.Tensor; endPositions?: tf.Tensor };

/** MlmCollator: `labels` int32 [batch, seq], the original id at the positions to predict and -100 elsewhere. */
export type MaskedLmBatch = EncodedBatch & { labels: tf.Tensor };

/** causalLmCollator: `labels` = the input ids (unshifted; the model shifts), -100 on padding. */
export type CausalLmBatch = {
  inputIds: tf.Tensor;
  attentionMask: tf.Tensor;
  labels: tf.Tensor;
};
