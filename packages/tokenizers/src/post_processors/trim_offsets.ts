import type { Encoding } from '../encoding';
import { isWhitespace } from '../char_classes';

const G = 0x120; // 'Ġ', the byte-level space

const isSpaceChar = (cp: number): boolean => cp === G || isWhitespace(cp);

/**
 * HF byte_level::process_offsets: offsets of tokens that start or end with (byte-level) spaces
 * are moved past them, except a first token's single prefix space when add_prefix_space is set.
 */
export function trimOffsets(enc: Encoding, addPrefixSpace: boolean): void {
  const toks = enc.tokens;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const chars = [...t];
    let lead = 0;
    while (lead < chars.length && isSpaceChar(chars[lead]!.codePointAt(0)!)) lead++;
    let trail = 0;
    while (trail < chars.length && isSpaceChar(chars[chars.length - 1 - trail]!.codePointAt(0)!)) trail++;
    if (lead === 0 && trail === 0) continue;
    // A new pair: overlapping truncation windows share the old one.
    const o: [number, number] = [enc.offsets[i]![0], enc.offsets[i]![1]];
    if (lead > 0) {
      const isFirst = i === 0 || o[0] === 0;
      if (isFirst && addPrefixSpace && lead === 1) lead = 0;
      o[0] = Math.min(o[0] + lead, o[1]);
    }
    if (trail > 0 && o[1] >= trail) o[1] = Math.max(o[1] - trail, o[0]);
    enc.offsets[i] = o;
  }
}
