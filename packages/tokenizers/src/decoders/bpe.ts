import type { Decoder } from './decoder';
import { optString, type JsonContext, type JsonObject } from '../json_fields';

/** HF BPEDecoder: the end-of-word suffix becomes a space (nothing after the last token). */
export class BPEDecoder implements Decoder {
  constructor(readonly suffix = '</w>') {}

  static fromJSON(o: JsonObject, ctx: JsonContext): BPEDecoder {
    return new BPEDecoder(optString(o, 'suffix', ctx, '</w>')!);
  }

  decodeChain(tokens: string[]): string[] {
    const n = tokens.length - 1;
    return tokens.map((t, i) => t.replaceAll(this.suffix, i === n ? '' : ' '));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'BPEDecoder', suffix: this.suffix };
  }
}
