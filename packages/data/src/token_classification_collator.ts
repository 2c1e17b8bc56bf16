import type { Collator } from './collator';
import type { TokenClassificationBatch } from './batches';
import type { PaddingOptions } from './classification_collator';
import { padToTensor, paddedLength } from './pad_batch';
import { IGNORE_INDEX, type TokenClassificationFeature } from './token_classification';

/** Pads inputs to the batch's longest row and `labels` [B, S] with -100. */
export function tokenClassificationCollator(opts: PaddingOptions): Collator<TokenClassificationFeature, TokenClassificationBatch> {
  return (items) => {
    const len = paddedLength(items.map((f) => f.inputIds), opts.padToMultipleOf);
    return {
      inputIds: padToTensor(items.map((f) => f.inputIds), len, opts.padTokenId),
      attentionMask: padToTensor(items.map((f) => f.attentionMask), len, 0),
      tokenTypeIds: padToTensor(items.map((f) => f.tokenTypeIds), len, 0),
      labels: padToTensor(items.map((f) => f.labels), len, IGNORE_INDEX),
    };
  };
}
