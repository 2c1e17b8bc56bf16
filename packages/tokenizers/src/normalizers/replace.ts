import type { NormalizedString } from '../normalized_string';
import type { Normalizer } from './normalizer';
import { at, reqString, type JsonContext, type JsonObject } from '../json_fields';
import { patternFromJSON, patternToJSON, type Pattern } from '../pattern';

/** HF Replace: every match of the pattern becomes `content`, aligned with the match's last character. */
export class Replace implements Normalizer {
  constructor(readonly pattern: Pattern, readonly content: string) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Replace {
    return new Replace(patternFromJSON(o.pattern, at(ctx, 'pattern')), reqString(o, 'content', ctx));
  }

  normalize(ns: NormalizedString): void {
    const content = this.content;
    ns.mapRuns(this.pattern.regex, () => content, 'last');
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Replace', pattern: patternToJSON(this.pattern), content: this.content };
  }
}
