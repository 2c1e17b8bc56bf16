import type { PreTokenizedString } from '../pre_tokenized_string';
import { isWhitespace } from '../char_classes';
import { findCharMatches, splitByMatches } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';

/** HF WhitespaceSplit: splits on whitespace characters, which are removed. */
export class WhitespaceSplit implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((ns) => splitByMatches(ns, findCharMatches(ns.text, isWhitespace), 'Removed'));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'WhitespaceSplit' };
  }
}
