import type { NormalizedString } from './normalized_string';
import type { Token } from './token';

export interface Split {
  ns: NormalizedString;
  /** Set once the piece is tokenized (added tokens are, before pre-tokenization). */
  tokens: Token[] | null;
}

/** HF PreTokenizedString: the input cut into pieces, each with its own normalized text and alignment. */
export class PreTokenizedString {
  splits: Split[];

  constructor(splits: Split[]) {
    this.splits = splits;
  }

  /** Replaces every not-yet-tokenized piece by the pieces `fn` returns; empty pieces are dropped. */
  split(fn: (ns: NormalizedString, index: number) => NormalizedString[]): void {
    const out: Split[] = [];
    const splits = this.splits;
    for (let i = 0; i < splits.length; i++) {
      const sp = splits[i]!;
      if (sp.tokens !== null) {
        out.push(sp);
        continue;
      }
      for (const ns of fn(sp.ns, i)) if (ns.text.length > 0) out.push({ ns, tokens: null });
    }
    this.splits = out;
  }

  /** Rewrites every not-yet-tokenized piece in place. */
  normalize(fn: (ns: NormalizedString) => void): void {
    for (const sp of this.splits) if (sp.tokens === null) fn(sp.ns);
  }
}
