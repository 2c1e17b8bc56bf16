import type { PreTokenizedString } from '../pre_tokenized_string';

/** A pre-tokenization stage: cuts the not-yet-tokenized pieces into words (and may rewrite them). */
export interface PreTokenizer {
  preTokenize(pts: PreTokenizedString): void;
  toJSON(): Record<string, unknown>;
}
