import { DataError } from './data_error';
import { SkipReport, type Loaded, type ReaderOptions } from './error_policy';
import { decodeBytes, type TextEncoding } from './text_encoding';

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
 * Streams a file's lines (LF or CRLF), decoded strictly (see TextEncoding): invalid UTF-8 is a
 * DataError naming the file and line. Each chunk is cut after its last LF and decoded in one call
 * (per line would be 4× slower), so a chunk boundary inside a multi-byte character is harmless: LF
 * never occurs inside one. Node modules are imported dynamically so the package still bundles for
 * browsers, where only the `parse*` string functions are used.
 */
export async function* readLines(path: string, opts: { encoding?: TextEncoding } = {}): AsyncGenerator<string> {
  const { createReadStream } = await import('node:fs');
  const input = createReadStream(path);
  let carry: Uint8Array = new Uint8Array(0);
  let lineNo = 1; // of the first byte not yet decoded
  /** Whole lines (no final LF) → strings without CR; a UTF-8 error names its line. */
  const decode = (bytes: Uint8Array): string[] => {
    const text = decodeBytes(lineNo === 1 && hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes, path, opts.encoding, lineNo);
    const lines = text.split('\n');
    lineNo += lines.length;
    for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
    return lines;
  };
  try {
    for await (const chunk of input as AsyncIterable<Uint8Array>) {
      const buf = carry.length > 0 ? concatBytes(carry, chunk) : chunk;
      const last = buf.lastIndexOf(0x0a);
      // for-of, not yield*: yield* over an array awaits each item again (2× slower here).
      if (last !== -1) for (const line of decode(buf.subarray(0, last))) yield line;
      // A copy: Buffer#slice is a view, and the stream may reuse the chunk's memory.
      carry = new Uint8Array(buf.subarray(last + 1));
    }
    if (carry.length > 0) for (const line of decode(carry)) yield line;
  } finally {
    input.destroy();
  }
}

/** EF BB BF: a UTF-8 byte-order mark (dropped in either encoding; a Latin-1 file does not start with "ï»¿"). */
function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Reads a whole text file (Node only), for formats such as SQuAD JSON that are not line-based;
 * decoded as readLines is, byte-order mark dropped.
 */
export async function readTextFile(path: string, opts: { encoding?: TextEncoding } = {}): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  return decodeBytes(hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes, path, opts.encoding);
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
  for await (const line of readLines(path, { encoding: opts.encoding })) {
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
