import type { Decoder } from './decoder';

/** HF Fuse decoder: all tokens become one string. */
export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Fuse' };
  }
}
