import type { Encoding } from '../encoding';
import type { PostProcessor } from './post_processor';

/** HF processors.Sequence: each processor works on the previous one's pieces (e.g. ByteLevel then a template). */
export class PostProcessorSequence implements PostProcessor {
  constructor(readonly processors: PostProcessor[]) {}

  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    let e = encodings;
    for (const p of this.processors) e = p.processEncodings(e, addSpecialTokens);
    return e;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', processors: this.processors.map((p) => p.toJSON()) };
  }
}
