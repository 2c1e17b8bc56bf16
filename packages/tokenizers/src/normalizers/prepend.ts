import type { NormalizedString } from '../normalized_string';
import type { Normalizer } from './normalizer';
import { reqString, type JsonContext, type JsonObject } from '../json_fields';

/** HF Prepend: adds a prefix to non-empty text (used by SentencePiece-style tokenizers). */
export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Prepend {
    return new Prepend(reqString(o, 'prepend', ctx));
  }

  normalize(ns: NormalizedString): void {
    ns.prepend(this.prepend);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Prepend', prepend: this.prepend };
  }
}
