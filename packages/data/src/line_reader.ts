import { DataError } from './data_error';
import { SkipReport, type Loaded, type ReaderOptions } from './error_policy';

/**
 * A line-oriented format as a push parser, so the same code parses an in-memory string (browser)
 * and a file streamed line by line (Node) without holding the file.
 */
export interface LineParser<T> {
  /** Consumes one line (no line terminator) with its 1-based number; returns finished records. */
  push(line: string, lineNo: number): T[];
  /** Flushes a record still open at end of input. */
  end(): T[];
}

/** Splits text into lines, accepting LF and CRLF, dropping a leading byte-order mark. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Streams a file's lines with node:fs + readline. Node modules are imported dynamically so the
 * package still bundles for browsers, where only the `parse*` string functions are used.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const input = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const raw of rl) {
      let line = raw;
      if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      first = false;
      yield line;
    }
  } finally {
    rl.close();
    input.destroy();
  }
}

/** Reads a whole text file (Node only), for formats such as SQuAD JSON that are not line-based. */
export async function readTextFile(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}

function emptyError(file: string, report: SkipReport): DataError {
  const why = report.skipped > 0 ? `all ${report.skipped} records were skipped as bad; first: ${report.errors[0]?.message}` : 'it holds no records';
  return new DataError({ file }, `empty dataset: ${why}. Check the path and the format options.`);
}

/** Runs a parser over a string; throws DataError on an empty result. */
export function parseLinesWith<T>(parser: LineParser<T>, text: string, opts: ReaderOptions): Loaded<T> {
  const report = opts.report ?? new SkipReport();
  const examples: T[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) examples.push(...parser.push(lines[i]!, i + 1));
  examples.push(...parser.end());
  if (examples.length === 0) throw emptyError(opts.file ?? '<string>', report);
  return { examples, skipped: report.skipped, errors: report.errors };
}

/** Runs a parser over a streamed file; throws DataError at the end if nothing came out. */
export async function* streamLinesWith<T>(parser: LineParser<T>, path: string, opts: ReaderOptions): AsyncGenerator<T> {
  const report = opts.report ?? new SkipReport();
  let n = 0;
  let lineNo = 0;
  for await (const line of readLines(path)) {
    for (const ex of parser.push(line, ++lineNo)) {
      n++;
      yield ex;
    }
  }
  for (const ex of parser.end()) {
    n++;
    yield ex;
  }
  if (n === 0) throw emptyError(path, report);
}

/** Collects an async stream into a Loaded result. */
export async function collect<T>(stream: AsyncIterable<T>, report: SkipReport): Promise<Loaded<T>> {
  const examples: T[] = [];
  for await (const ex of stream) examples.push(ex);
  return { examples, skipped: report.skipped, errors: report.errors };
}
