import type { NormalizedString } from '../normalized_string';

/** A normalization stage: rewrites the text in place while keeping its alignment to the original. */
export interface Normalizer {
  normalize(ns: NormalizedString): void;
  /** The HF tokenizer.json object for this stage. */
  toJSON(): Record<string, unknown>;
}
