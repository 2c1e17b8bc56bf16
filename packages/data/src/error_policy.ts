import type { TextEncoding } from './text_encoding';
import { DataError } from './data_error';

/** What a reader does with a bad row: stop with a DataError (default) or skip it and count it. */
export type OnError = 'throw' | 'skip';

/** Rows a reader skipped under `onError: 'skip'`, with the errors that made it skip them. */
export class SkipReport {
  skipped = 0;
  /** The first `keep` errors, so a person can see examples of what went wrong. */
  readonly errors: DataError[] = [];
  constructor(private readonly keep = 20) {}

  /** Throws under 'throw'; counts and keeps the error under 'skip'. */
  handle(err: DataError, onError: OnError): void {
    if (onError === 'throw') throw err;
    this.skipped++;
    if (this.errors.length < this.keep) this.errors.push(err);
  }
}

/** Options every reader takes. */
export interface ReaderOptions {
  /** Name used in error messages; readers of files set it to the path. */
  file?: string;
  onError?: OnError;
  /** Receives skipped-row counts under `onError: 'skip'`; one is created when absent. */
  report?: SkipReport;
  /** How files are decoded (default 'utf8', strict: invalid bytes are an error naming file and line). */
  encoding?: TextEncoding;
}

/** The result of reading a whole file or string. */
export interface Loaded<T> {
  examples: T[];
  skipped: number;
  errors: DataError[];
}
