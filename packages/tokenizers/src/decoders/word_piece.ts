import type { Decoder } from './decoder';
import { optBool, optString, type JsonContext, type JsonObject } from '../json_fields';

/** HF's cleanup of tokenization spaces (" ." → ".", " n't" → "n't", …). */
export function cleanup(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/** HF WordPiece decoder: "##" pieces join the previous token, others get a space. */
export class WordPieceDecoder implements Decoder {
  constructor(readonly prefix = '##', readonly cleanup = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): WordPieceDecoder {
    return new WordPieceDecoder(optString(o, 'prefix', ctx, '##')!, optBool(o, 'cleanup', ctx, true));
  }

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => {
      let s = t;
      if (i !== 0) s = s.startsWith(this.prefix) ? s.replace(this.prefix, '') : ` ${s}`;
      return this.cleanup ? cleanup(s) : s;
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'WordPiece', prefix: this.prefix, cleanup: this.cleanup };
  }
}
