import type { tf } from '@attn/tensor';

/**
 * What every BERT model's forward takes. Ids and masks are int32 [batch, seq]. Every @attn/data
 * collator's batch (ClassificationBatch, TokenClassificationBatch, QuestionAnsweringBatch, MaskedLmBatch)
 * is one of these as it is, and @attn/trainer's TrainableModel defaults to it: no cast between them.
 */
export interface ModelInputs {
  inputIds: tf.Tensor;
  /** 1 = attend, 0 = padding; default all ones. */
  attentionMask?: tf.Tensor;
  /** Segment ids (0 = sentence A, 1 = sentence B); default all zeros. */
  tokenTypeIds?: tf.Tensor;
  /** Sequence classification: [batch] int32 (float32 for regression, [batch, numLabels] for multi-label);
   *  token classification and masked LM: [batch, seq] with -100 for positions without a label. */
  labels?: tf.Tensor;
  /** Question answering: [batch] token index of the answer's first and last token. */
  startPositions?: tf.Tensor;
  endPositions?: tf.Tensor;
  outputAttentions?: boolean;
  outputHiddenStates?: boolean;
}

// A type alias (not an interface) so it can be returned from tf.tidy as a TensorContainer.
/** What every BERT model's forward returns; the caller owns (and disposes) these tensors. */
export type ModelOutput = {
  loss?: tf.Scalar;
  /** Classification: [batch, numLabels]; token classification: [batch, seq, numLabels]; MLM: [batch, seq, vocab]. */
  logits?: tf.Tensor;
  /** Question answering: [batch, seq]. */
  startLogits?: tf.Tensor;
  endLogits?: tf.Tensor;
  /** [batch, seq, hidden] */
  lastHiddenState?: tf.Tensor;
  /** [batch, hidden]: tanh(dense(hidden[:, 0])) */
  poolerOutput?: tf.Tensor;
  /** One [batch, heads, seq, seq] per layer when outputAttentions. */
  attentions?: tf.Tensor[];
  /** Embedding output plus each layer's output when outputHiddenStates. */
  hiddenStates?: tf.Tensor[];
};
