import type { Encoding } from '@attn/tokenizers';

/** Truncation as @attn/tokenizers takes it; `stride` is the overlap between overflowing windows. */
export interface TruncationOptions {
  maxLength: number;
  stride?: number;
  strategy?: 'longest_first' | 'only_first' | 'only_second';
}

export interface EncodeOptions {
  addSpecialTokens?: boolean;
  truncation?: TruncationOptions | false;
  padding?: false;
}

/**
 * What task processing needs from a tokenizer. @attn/tokenizers' `Tokenizer` has this shape; the
 * interface keeps this package testable with any tokenizer that produces offsets and word ids.
 */
export interface FeatureTokenizer {
  encode(text: string, pair?: string | null, opts?: EncodeOptions): Encoding;
  /** Undefined when the vocabulary lacks the token; processing that needs it then throws. */
  readonly padTokenId: number | undefined;
  readonly clsTokenId: number | undefined;
  readonly sepTokenId: number | undefined;
  readonly maskTokenId: number | undefined;
  getVocabSize(): number;
}

/** A special token id the task cannot do without; a clear error instead of NaN ids downstream. */
export function requireTokenId(id: number | undefined, name: string): number {
  if (id === undefined) throw new TypeError(`the tokenizer has no ${name} token; this processing step needs one.`);
  return id;
}
