/**
 * GPT-2's bytes_to_unicode: every byte maps to a printable character (printable Latin-1 bytes map
 * to themselves, the others to U+0100 onwards), so byte strings can live in a text vocabulary.
 */
export const BYTE_TO_CHAR: string[] = [];
export const CHAR_TO_BYTE = new Map<string, number>();
{
  const keep = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const c = keep(b) ? String.fromCharCode(b) : String.fromCharCode(256 + n++);
    BYTE_TO_CHAR[b] = c;
    CHAR_TO_BYTE.set(c, b);
  }
}

const cache = new Map<number, string>();

/** The byte-level characters of one code point's UTF-8 encoding. */
export function byteLevelChars(cp: number): string {
  if (cp < 128) return BYTE_TO_CHAR[cp]!;
  let r = cache.get(cp);
  if (r === undefined) {
    let bytes: number[];
    if (cp >= 0xd800 && cp <= 0xdfff) bytes = [0xef, 0xbf, 0xbd]; // lone surrogate: U+FFFD, as a UTF-8 encoder writes it
    else if (cp < 0x800) bytes = [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
    else if (cp < 0x10000) bytes = [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    else bytes = [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    r = bytes.map((b) => BYTE_TO_CHAR[b]).join('');
    cache.set(cp, r);
  }
  return r;
}
