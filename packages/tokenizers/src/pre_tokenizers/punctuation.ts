import type { PreTokenizedString } from '../pre_tokenized_string';
import { isPunctuation } from '../char_classes';
import { findCharMatches, splitBehaviorFromJSON, splitByMatches, type SplitBehavior } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';
import { at, type JsonContext, type JsonObject } from '../json_fields';

/** HF Punctuation: splits on punctuation characters (Isolated by default). */
export class Punctuation implements PreTokenizer {
  constructor(readonly behavior: SplitBehavior = 'Isolated') {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Punctuation {
    return new Punctuation(splitBehaviorFromJSON(o.behavior, at(ctx, 'behavior'), 'Isolated'));
  }

  preTokenize(pts: PreTokenizedString): void {
    pts.split((ns) => splitByMatches(ns, findCharMatches(ns.text, isPunctuation), this.behavior));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Punctuation', behavior: this.behavior };
  }
}
