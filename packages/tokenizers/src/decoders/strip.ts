import type { Decoder } from './decoder';
import { reqInt, reqString, type JsonContext, type JsonObject } from '../json_fields';

/** HF Strip decoder: removes up to `start` leading and `stop` trailing `content` characters of each token. */
export class StripDecoder implements Decoder {
  constructor(readonly content: string, readonly start: number, readonly stop: number) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): StripDecoder {
    return new StripDecoder(reqString(o, 'content', ctx), reqInt(o, 'start', ctx), reqInt(o, 'stop', ctx));
  }

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => {
      const chars = [...t];
      let s = 0;
      while (s < this.start && s < chars.length && chars[s] === this.content) s++;
      let e = chars.length;
      for (let i = 0; i < this.stop && e > s && chars[e - 1] === this.content; i++) e--;
      return chars.slice(s, e).join('');
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Strip', content: this.content, start: this.start, stop: this.stop };
  }
}
