import type { PreTokenizedString } from '../pre_tokenized_string';
import { findMatches } from '../pattern';
import { splitByMatches } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';

// Oniguruma's \w is Unicode: alphabetic, marks, decimal digits, connector punctuation, joiners.
const WORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d\p{White_Space}]+/gu;

/** HF Whitespace: keeps runs of word characters and runs of other non-space characters (`\w+|[^\w\s]+`). */
export class Whitespace implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((ns) => splitByMatches(ns, findMatches(WORD, ns.text).map(([s, e, m]) => [s, e, !m]), 'Removed'));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Whitespace' };
  }
}
