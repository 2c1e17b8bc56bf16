import type { Decoder } from './decoder';
import { optBool, optString, type JsonContext, type JsonObject } from '../json_fields';
import type { PrependScheme } from '../pre_tokenizers/metaspace';

/** HF Metaspace decoder: '▁' back to spaces, except in the first token where it is dropped. */
export class MetaspaceDecoder implements Decoder {
  constructor(readonly replacement = '\u2581', readonly prependScheme: PrependScheme = 'always', readonly split = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): MetaspaceDecoder {
    let scheme = optString(o, 'prepend_scheme', ctx, null) as PrependScheme | null;
    if (scheme === null) scheme = optBool(o, 'add_prefix_space', ctx, true) ? 'always' : 'never';
    return new MetaspaceDecoder(optString(o, 'replacement', ctx, '\u2581')!, scheme, optBool(o, 'split', ctx, true));
  }

  decodeChain(tokens: string[]): string[] {
    // As HF: in the first token every '▁' is dropped (not only the leading one), elsewhere it is a space.
    return tokens.map((t, i) => t.replaceAll(this.replacement, i === 0 && this.prependScheme !== 'never' ? '' : ' '));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
