import type { SourceLocation } from './data_error';

/** One sentence for token classification: words with one tag per word, as written in the file. */
export interface TokenClassificationExample {
  words: string[];
  tags: string[];
  /** Points at the sentence's first line. */
  source: SourceLocation;
}
