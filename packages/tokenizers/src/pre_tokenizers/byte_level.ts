import type { PreTokenizedString } from '../pre_tokenized_string';
import { byteLevelChars } from '../byte_level_alphabet';
import { findMatches } from '../pattern';
import { splitByMatches } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';
import { optBool, type JsonContext, type JsonObject } from '../json_fields';

/** GPT-2's word regex; Oniguruma's \s is Unicode White_Space, which JS's \s is not (U+0085, U+FEFF). */
export const GPT2_REGEX = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

const mapByte = (cp: number): string | null => (cp >= 33 && cp <= 126 ? null : byteLevelChars(cp));

/**
 * HF ByteLevel pre-tokenizer: optionally prepends a space, splits with the GPT-2 regex, then
 * rewrites every piece as byte-level characters (each byte keeps its character's original range).
 */
export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(readonly addPrefixSpace = true, readonly useRegex = true, readonly trimOffsets = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): ByteLevelPreTokenizer {
    return new ByteLevelPreTokenizer(optBool(o, 'add_prefix_space', ctx, true), optBool(o, 'use_regex', ctx, true), optBool(o, 'trim_offsets', ctx, true));
  }

  preTokenize(pts: PreTokenizedString): void {
    pts.split((ns) => {
      if (this.addPrefixSpace && !ns.text.startsWith(' ')) ns.prepend(' ');
      return this.useRegex ? splitByMatches(ns, findMatches(GPT2_REGEX, ns.text), 'Isolated') : [ns];
    });
    pts.normalize((ns) => ns.mapChars(mapByte));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
