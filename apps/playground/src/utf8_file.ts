// A dropped data file's bytes as text, strictly: File.text() turns invalid UTF-8 into U+FFFD, so a Latin-1 file
// trained on "caf� cr�me" without a word. The same rule as @attn/data's decodeBytes for the CLIs.
import { DataError } from '@attn/data';

/** UTF-8 text of `bytes`, or a DataError naming the file, the first bad line and the byte in it. */
export function decodeUtf8File(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // LF (0x0A) never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
    let start = 0;
    for (let line = 1; ; line++) {
      const lf = bytes.indexOf(0x0a, start);
      const end = lf === -1 ? bytes.length : lf;
      const bad = firstInvalidByte(bytes.subarray(start, end));
      if (bad !== -1 || lf === -1) {
        const at = Math.max(0, bad);
        return fail(file, line, at, bytes[start + at] ?? 0);
      }
      start = lf + 1;
    }
  }
}

function fail(file: string, line: number, column: number, byte: number): never {
  throw new DataError(
    { file, line },
    `not valid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte ${column + 1} of the line). ` +
      'If the file is Latin-1 (ISO-8859-1) or Windows-1252, save it as UTF-8 and drop it here again.',
  );
}

/** Index of the first byte of the first malformed sequence, or -1 when the line is valid UTF-8. */
function firstInvalidByte(bytes: Uint8Array): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return -1;
  } catch {
    // Find it for the message; overlong forms and surrogates, which the decoder also refuses, point at 0.
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
}
