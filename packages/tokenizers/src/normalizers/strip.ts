import type { NormalizedString } from '../normalized_string';
import { isWhitespace } from '../char_classes';
import type { Normalizer } from './normalizer';
import { optBool, type JsonContext, type JsonObject } from '../json_fields';

/** HF Strip: removes leading and/or trailing whitespace. */
export class Strip implements Normalizer {
  constructor(readonly left = true, readonly right = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Strip {
    return new Strip(optBool(o, 'strip_left', ctx, true), optBool(o, 'strip_right', ctx, true));
  }

  normalize(ns: NormalizedString): void {
    ns.trim(this.left, this.right, isWhitespace);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}
