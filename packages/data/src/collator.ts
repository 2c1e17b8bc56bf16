import type { tf } from '@attn/tensor';

/**
 * One batch of model inputs, int32 tensors: inputIds, attentionMask, tokenTypeIds [B, S], plus
 * labels ([B] or [B, S], -100 = ignored) or startPositions / endPositions [B]. The caller disposes.
 */
export type Batch = Record<string, tf.Tensor>;

/**
 * Turns a list of features into a batch; tensors are built here, per batch, and nowhere else. B is the
 * batch's type: each collator returns its task's batch (ClassificationBatch, MaskedLmBatch, …).
 */
export type Collator<T, B = Batch> = (items: T[]) => B;
