import { DataError } from './data_error';

/**
 * How a file's bytes become text. 'utf8' is strict: invalid bytes are an error naming the file
 * and line, never U+FFFD (a Latin-1 file would otherwise train on replacement characters).
 * 'latin1' is ISO-8859-1, every byte one character, for such files read on purpose.
 */
export type TextEncoding = 'utf8' | 'latin1';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf8', 'latin1'];

// Shared: decode() without { stream } keeps no state between calls. ignoreBOM keeps U+FEFF, so
// only the callers that see the start of a file drop it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bytes (a line, a block of lines or a whole file) as text. A UTF-8 error names the first bad
 * line, counted from `firstLine` (the line number of the first byte, default 1).
 */
export function decodeBytes(bytes: Uint8Array, file: string, encoding: TextEncoding = 'utf8', firstLine = 1): string {
  if (encoding === 'latin1') {
    let s = '';
    // fromCharCode over slices: one call per byte is slow, one over the whole file overflows the stack.
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return s;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes, file, firstLine);
  }
}

/** The DataError for bytes that are not UTF-8: the first bad line (and byte) in them. */
function invalidUtf8(bytes: Uint8Array, file: string, firstLine: number): DataError {
  let lineNo = firstLine;
  let start = 0;
  // Find the first line that fails; LF never occurs inside a UTF-8 multi-byte sequence.
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) break;
    if (end === -1) break;
    start = end + 1;
    lineNo++;
  }
  const end = bytes.indexOf(0x0a, start);
  const lineBytes = bytes.subarray(start, end === -1 ? bytes.length : end);
  const column = firstInvalidByte(lineBytes);
  const byte = lineBytes[column] ?? 0;
  return new DataError(
    { file, line: lineNo },
    `not valid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte ${column + 1} of the line). ` +
      `If the file is Latin-1 (ISO-8859-1), read it with encoding 'latin1' (--encoding latin1 in the apps) or convert it to UTF-8.`,
  );
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Index of the first byte that starts a malformed sequence (lead byte or continuation count),
 * for the message; overlong forms and surrogates, which fatal decoding also rejects, point at 0.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}
