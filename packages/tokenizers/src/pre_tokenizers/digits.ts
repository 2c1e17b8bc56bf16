import type { PreTokenizedString } from '../pre_tokenized_string';
import { findCharMatches, splitByMatches } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';
import { optBool, type JsonContext, type JsonObject } from '../json_fields';

const NUMERIC = /^[\p{Nd}\p{Nl}\p{No}]$/u;
const isNumeric = (cp: number): boolean => (cp < 128 ? cp >= 48 && cp <= 57 : NUMERIC.test(String.fromCodePoint(cp)));

/** HF Digits: separates digits from the rest (each digit alone with individual_digits). */
export class Digits implements PreTokenizer {
  constructor(readonly individualDigits = false) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Digits {
    return new Digits(optBool(o, 'individual_digits', ctx, false));
  }

  preTokenize(pts: PreTokenizedString): void {
    pts.split((ns) => splitByMatches(ns, findCharMatches(ns.text, isNumeric), this.individualDigits ? 'Isolated' : 'Contiguous'));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Digits', individual_digits: this.individualDigits };
  }
}
