import { requireTokenId, type FeatureTokenizer } from './feature_tokenizer';
import type { MlmFeature } from './mlm_collator';

export interface PackOptions {
  /** Segment length including [CLS] and [SEP]. Default 128. */
  maxLength?: number;
  /** Drop the final short segment, as HF's run_mlm `group_texts`. Default true. */
  dropRemainder?: boolean;
}

/**
 * Packs a corpus into fixed-length MLM segments: texts are tokenized without special tokens,
 * concatenated, cut into maxLength − 2 pieces and wrapped as [CLS] … [SEP]. Word ids are kept
 * (unique across the corpus) for whole-word masking. Yields segment by segment.
 */
export function* packSequences(tokenizer: FeatureTokenizer, texts: Iterable<string>, opts: PackOptions = {}): IterableIterator<MlmFeature> {
  const maxLength = opts.maxLength ?? 128;
  const body = maxLength - 2;
  if (body < 1) throw new RangeError(`maxLength must leave room for [CLS] and [SEP], got ${maxLength}.`);
  const cls = requireTokenId(tokenizer.clsTokenId, '[CLS]');
  const sep = requireTokenId(tokenizer.sepTokenId, '[SEP]');
  let ids: number[] = [];
  let words: number[] = [];
  let wordBase = 0;
  const segment = (n: number): MlmFeature => {
    const inputIds = [cls, ...ids.slice(0, n), sep];
    const wordIds: Array<number | null> = [null, ...words.slice(0, n), null];
    ids = ids.slice(n);
    words = words.slice(n);
    const specialTokensMask = inputIds.map((_, i) => (i === 0 || i === inputIds.length - 1 ? 1 : 0));
    return { inputIds, specialTokensMask, wordIds, attentionMask: inputIds.map(() => 1), tokenTypeIds: inputIds.map(() => 0) };
  };
  for (const text of texts) {
    const enc = tokenizer.encode(text, undefined, { addSpecialTokens: false, truncation: false });
    let maxWord = -1;
    for (let t = 0; t < enc.ids.length; t++) {
      const w = enc.wordIds[t] ?? 0;
      ids.push(enc.ids[t]!);
      words.push(wordBase + w);
      maxWord = Math.max(maxWord, w);
    }
    wordBase += maxWord + 1;
    while (ids.length >= body) yield segment(body);
  }
  if (ids.length > 0 && !(opts.dropRemainder ?? true)) yield segment(ids.length);
}
