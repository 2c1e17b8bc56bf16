import type { Decoder } from './decoder';
import { at, reqString, type JsonContext, type JsonObject } from '../json_fields';
import { patternFromJSON, patternToJSON, type Pattern } from '../pattern';

/** HF Replace decoder: replaces the pattern in every token (e.g. '▁' back to ' '). */
export class ReplaceDecoder implements Decoder {
  constructor(readonly pattern: Pattern, readonly content: string) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): ReplaceDecoder {
    return new ReplaceDecoder(patternFromJSON(o.pattern, at(ctx, 'pattern')), reqString(o, 'content', ctx));
  }

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => t.replace(this.pattern.regex, () => this.content));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Replace', pattern: patternToJSON(this.pattern), content: this.content };
  }
}
