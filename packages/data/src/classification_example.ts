import type { SourceLocation } from './data_error';

/** One sequence-classification example: a text, or a text pair, with its label as written in the file. */
export interface ClassificationExample {
  text: string;
  textPair?: string;
  /** Absent for unlabelled data (e.g. a GLUE test split). */
  label?: string;
  source: SourceLocation;
}
