import type { PreTokenizedString } from '../pre_tokenized_string';
import { findMatches, patternFromJSON, patternToJSON, type Pattern } from '../pattern';
import { splitBehaviorFromJSON, splitByMatches, type SplitBehavior } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';
import { at, optBool, type JsonContext, type JsonObject } from '../json_fields';

/** HF Split: splits on a string or regex pattern with a delimiter behavior, optionally inverted. */
export class Split implements PreTokenizer {
  constructor(readonly pattern: Pattern, readonly behavior: SplitBehavior, readonly invert = false) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Split {
    return new Split(patternFromJSON(o.pattern, at(ctx, 'pattern')), splitBehaviorFromJSON(o.behavior, at(ctx, 'behavior'), 'Isolated'), optBool(o, 'invert', ctx, false));
  }

  preTokenize(pts: PreTokenizedString): void {
    const re = this.pattern.regex;
    pts.split((ns) => {
      let m = findMatches(re, ns.text);
      if (this.invert) m = m.map(([s, e, x]) => [s, e, !x]);
      return splitByMatches(ns, m, this.behavior);
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Split', pattern: patternToJSON(this.pattern), behavior: this.behavior, invert: this.invert };
  }
}
