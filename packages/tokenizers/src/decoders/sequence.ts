import type { Decoder } from './decoder';

/** HF decoders.Sequence: each decoder's output chain feeds the next. */
export class DecoderSequence implements Decoder {
  constructor(readonly decoders: Decoder[]) {}

  decodeChain(tokens: string[]): string[] {
    let t = tokens;
    for (const d of this.decoders) t = d.decodeChain(t);
    return t;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
