import { tf } from '@attn/tensor';
import type { ClassificationFeature } from './classification';
import type { Collator } from './collator';
import type { ClassificationBatch } from './batches';
import { padToTensor, paddedLength } from './pad_batch';

export interface PaddingOptions {
  /** Id used for padding inputIds (the tokenizer's `padTokenId`). */
  padTokenId: number;
  /** Round the padded length up to a multiple of this. */
  padToMultipleOf?: number;
}

/** Pads inputs to the batch's longest row; `labels` int32 [B] when every item has a label. */
export function classificationCollator(opts: PaddingOptions): Collator<ClassificationFeature, ClassificationBatch> {
  return (items) => {
    const len = paddedLength(items.map((f) => f.inputIds), opts.padToMultipleOf);
    const batch: ClassificationBatch = {
      inputIds: padToTensor(items.map((f) => f.inputIds), len, opts.padTokenId),
      attentionMask: padToTensor(items.map((f) => f.attentionMask), len, 0),
      tokenTypeIds: padToTensor(items.map((f) => f.tokenTypeIds), len, 0),
    };
    if (items.length > 0 && items.every((f) => f.label !== undefined)) {
      batch.labels = tf.tensor1d(Int32Array.from(items, (f) => f.label!), 'int32');
    }
    return batch;
  };
}
