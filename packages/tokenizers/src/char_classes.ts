/**
 * Unicode character classes as HF tokenizers (Rust) sees them, by code point. Computed once per
 * code point with JS Unicode property escapes and cached in a flag table; `unicode_overrides.ts`
 * holds the code points where Rust's (older) Unicode tables disagree with the JS engine's.
 */
import { OVERRIDES } from './unicode_overrides';

const WS = 1; // Rust char::is_whitespace (White_Space)
const OTHER = 2; // general category C (Cc, Cf, Cs, Co, Cn): unicode_categories is_other
const PUNCT = 4; // general category P: unicode_categories is_punctuation
const MN = 8; // general category Mn
const ALNUM = 16; // Rust char::is_alphanumeric
const COMB = 32; // general category M: unicode-normalization is_combining_mark
const KNOWN = 128;

const reWs = /^\p{White_Space}$/u;
const reOther = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u; // not Cn: unassigned code points are kept
const rePunct = /^\p{P}$/u;
const reMn = /^\p{Mn}$/u;
const reAlnum = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u;
const reComb = /^\p{M}$/u;

// Flags for the Basic Multilingual Plane live in a flat table; astral ones in a map.
const bmp = new Uint8Array(0x10000);
const astral = new Map<number, number>();

function compute(cp: number): number {
  const o = OVERRIDES.get(cp);
  if (o !== undefined) return o | KNOWN;
  if (cp >= 0xd800 && cp <= 0xdfff) return OTHER | KNOWN; // lone surrogate: U+FFFD in Rust, but callers map that first
  const s = String.fromCodePoint(cp);
  let f = KNOWN;
  if (reWs.test(s)) f |= WS;
  if (reOther.test(s)) f |= OTHER;
  if (rePunct.test(s)) f |= PUNCT;
  if (reMn.test(s)) f |= MN;
  if (reAlnum.test(s)) f |= ALNUM;
  if (reComb.test(s)) f |= COMB;
  return f;
}

export function charFlags(cp: number): number {
  if (cp < 0x10000) {
    let f = bmp[cp]!;
    if (f === 0) bmp[cp] = f = compute(cp);
    return f;
  }
  let f = astral.get(cp);
  if (f === undefined) {
    f = compute(cp);
    astral.set(cp, f);
  }
  return f;
}

export const CharFlag = { WS, OTHER, PUNCT, MN, ALNUM, COMB } as const;

/** Rust `char::is_whitespace`. */
export function isWhitespace(cp: number): boolean {
  return (charFlags(cp) & WS) !== 0;
}

/** BERT's whitespace: \t \n \r or any White_Space character. */
export function isBertWhitespace(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (charFlags(cp) & WS) !== 0;
}

/** BERT's control characters (removed by clean_text): category C except \t \n \r. */
export function isBertControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  return (charFlags(cp) & OTHER) !== 0;
}

/** BertPreTokenizer's punctuation: ASCII punctuation or Unicode category P. */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 128) return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  return (charFlags(cp) & PUNCT) !== 0;
}

/** Unicode category P only (the Punctuation pre-tokenizer uses `is_punctuation` plus ASCII). */
export function isPunctuation(cp: number): boolean {
  return isBertPunctuation(cp);
}

export function isMarkNonspacing(cp: number): boolean {
  return (charFlags(cp) & MN) !== 0;
}

export function isCombiningMark(cp: number): boolean {
  return (charFlags(cp) & COMB) !== 0;
}

export function isAlphanumeric(cp: number): boolean {
  return (charFlags(cp) & ALNUM) !== 0;
}

/** The CJK ideograph blocks BERT surrounds with spaces. */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}
