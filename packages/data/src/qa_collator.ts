import { tf } from '@attn/tensor';
import type { PaddingOptions } from './classification_collator';
import type { Collator } from './collator';
import type { QuestionAnsweringBatch } from './batches';
import { padToTensor, paddedLength } from './pad_batch';

type QaFeatureLike = { inputIds: number[]; attentionMask: number[]; tokenTypeIds: number[]; startPosition?: number; endPosition?: number };

/** Pads inputs to the batch's longest row; adds startPositions / endPositions [B] for training features. */
export function qaCollator(opts: PaddingOptions): Collator<QaFeatureLike, QuestionAnsweringBatch> {
  return (items) => {
    const len = paddedLength(items.map((f) => f.inputIds), opts.padToMultipleOf);
    const batch: QuestionAnsweringBatch = {
      inputIds: padToTensor(items.map((f) => f.inputIds), len, opts.padTokenId),
      attentionMask: padToTensor(items.map((f) => f.attentionMask), len, 0),
      tokenTypeIds: padToTensor(items.map((f) => f.tokenTypeIds), len, 0),
    };
    if (items.length > 0 && items.every((f) => f.startPosition !== undefined && f.endPosition !== undefined)) {
      batch.startPositions = tf.tensor1d(Int32Array.from(items, (f) => f.startPosition!), 'int32');
      batch.endPositions = tf.tensor1d(Int32Array.from(items, (f) => f.endPosition!), 'int32');
    }
    return batch;
  };
}
