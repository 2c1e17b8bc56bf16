/**
 * The result of tokenizing one input (or one overflowing window of it), as HF tokenizers' Encoding.
 * Offsets are [start, end) indices into the original JavaScript string, counted in UTF-16 code units.
 */
export interface Encoding {
  ids: number[];
  typeIds: number[];
  tokens: string[];
  /** [start, end) in UTF-16 code units of the original input; [0, 0] for special tokens. */
  offsets: Array<[number, number]>;
  attentionMask: number[];
  specialTokensMask: number[];
  /** Index of the word (pre-token) each token came from; null for special tokens. */
  wordIds: Array<number | null>;
  /** 0 for the first sequence, 1 for the pair; null for special tokens. */
  sequenceIds: Array<number | null>;
  /** Further windows when truncation with a stride produced them. */
  overflowing: Encoding[];
}
