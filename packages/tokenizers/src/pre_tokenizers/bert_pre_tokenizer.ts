import type { NormalizedString } from '../normalized_string';
import type { PreTokenizedString } from '../pre_tokenized_string';
import { isBertPunctuation, isWhitespace } from '../char_classes';
import type { PreTokenizer } from './pre_tokenizer';

// 1 = whitespace, 2 = punctuation, for ASCII.
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = isWhitespace(c) ? 1 : isBertPunctuation(c) ? 2 : 0;

/**
 * HF BertPreTokenizer: split on whitespace (removed), then isolate every punctuation character.
 * Both passes are fused into one scan; the result is the same list of pieces.
 */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split(splitBert);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'BertPreTokenizer' };
  }
}

export function splitBert(ns: NormalizedString): NormalizedString[] {
  const t = ns.text;
  const n = t.length;
  const out: NormalizedString[] = [];
  let start = -1;
  for (let i = 0; i < n; ) {
    const c = t.charCodeAt(i);
    let kind: number;
    let len = 1;
    if (c < 128) kind = ASCII[c]!;
    else {
      const cp = t.codePointAt(i)!;
      if (cp > 0xffff) len = 2;
      kind = isWhitespace(cp) ? 1 : isBertPunctuation(cp) ? 2 : 0;
    }
    if (kind === 0) {
      if (start < 0) start = i;
    } else {
      if (start >= 0) {
        out.push(ns.slice(start, i));
        start = -1;
      }
      if (kind === 2) out.push(ns.slice(i, i + len));
    }
    i += len;
  }
  // A piece that is one word is kept as is (no copy).
  if (start >= 0) out.push(start === 0 ? ns : ns.slice(start, n));
  return out;
}
