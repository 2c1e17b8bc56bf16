import type { PreTokenizedString } from '../pre_tokenized_string';
import type { PreTokenizer } from './pre_tokenizer';

/** HF pre_tokenizers.Sequence: applies its pre-tokenizers in order. */
export class PreTokenizerSequence implements PreTokenizer {
  constructor(readonly preTokenizers: PreTokenizer[]) {}

  preTokenize(pts: PreTokenizedString): void {
    for (const p of this.preTokenizers) p.preTokenize(pts);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
