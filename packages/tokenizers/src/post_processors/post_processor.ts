import type { Encoding } from '../encoding';

/** Adds special tokens around one sequence or a pair and merges them into one Encoding. */
export interface PostProcessor {
  /** How many special tokens `process` adds (truncation keeps room for them). */
  addedTokens(isPair: boolean): number;
  /**
   * HF process_encodings: `encodings` holds one sequence or a pair (type id and sequence id 0 / 1
   * already set); returns the pieces whose concatenation (mergeEncodings) is the result.
   */
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[];
  toJSON(): Record<string, unknown>;
}
