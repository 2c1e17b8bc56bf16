import { Generator as SeededGenerator } from '@attn/tensor';
import type { Collator } from './collator';
import type { MaskedLmBatch } from './batches';
import { padToTensor, paddedLength } from './pad_batch';
import { IGNORE_INDEX } from './token_classification';

/** A segment for masked-LM; masking happens per batch in the collator, so every epoch differs. */
export interface MlmFeature {
  inputIds: number[];
  /** 1 for special tokens ([CLS], [SEP]), which are never masked. */
  specialTokensMask?: number[];
  /** Word index per token (null for special tokens); needed for whole-word masking. */
  wordIds?: Array<number | null>;
  attentionMask?: number[];
  tokenTypeIds?: number[];
}

export interface MlmCollatorOptions {
  maskTokenId: number;
  padTokenId: number;
  /** Random replacement tokens are drawn uniformly from [0, vocabSize). */
  vocabSize: number;
  /** Fraction of tokens chosen for prediction. Default 0.15. */
  mlmProbability?: number;
  /** Default 0. */
  seed?: number;
  /** Choose whole words: all sub-tokens of a chosen word are predicted together. */
  wholeWordMask?: boolean;
  /** Ids never masked when a feature has no specialTokensMask (e.g. [CLS], [SEP]). */
  specialTokenIds?: readonly number[];
  padToMultipleOf?: number;
}

/**
 * Dynamic masking as HF's DataCollatorForLanguageModeling: of the chosen tokens 80% become
 * [MASK], 10% a random token, 10% stay; labels hold the original id there and -100 elsewhere.
 * Seeded; `getState`/`setState` let a resumed run continue the same stream of masks.
 */
export class MlmCollator {
  private readonly rng: SeededGenerator;
  private readonly p: number;
  private readonly special: Set<number>;

  constructor(private readonly opts: MlmCollatorOptions) {
    this.rng = new SeededGenerator(opts.seed ?? 0);
    this.p = opts.mlmProbability ?? 0.15;
    if (!(this.p > 0 && this.p < 1)) throw new RangeError(`mlmProbability must be in (0, 1), got ${this.p}.`);
    this.special = new Set(opts.specialTokenIds ?? []);
  }

  getState(): number[] {
    return this.rng.getState();
  }

  setState(state: readonly number[]): void {
    this.rng.setState(state);
  }

  /** The collator function to hand to a DataLoader. */
  readonly collate: Collator<MlmFeature, MaskedLmBatch> = (items) => {
    const inputs: number[][] = [];
    const labels: number[][] = [];
    for (const f of items) {
      const [ids, lab] = this.mask(f);
      inputs.push(ids);
      labels.push(lab);
    }
    const len = paddedLength(inputs, this.opts.padToMultipleOf);
    const batch: MaskedLmBatch = {
      inputIds: padToTensor(inputs, len, this.opts.padTokenId),
      attentionMask: padToTensor(items.map((f) => f.attentionMask ?? f.inputIds.map(() => 1)), len, 0),
      tokenTypeIds: padToTensor(items.map((f) => f.tokenTypeIds ?? []), len, 0),
      labels: padToTensor(labels, len, IGNORE_INDEX),
    };
    return batch;
  };

  private isSpecial(f: MlmFeature, t: number): boolean {
    if (f.specialTokensMask) return f.specialTokensMask[t] === 1;
    const id = f.inputIds[t]!;
    return id === this.opts.padTokenId || this.special.has(id);
  }

  /** Which positions to predict. */
  private choose(f: MlmFeature): boolean[] {
    const n = f.inputIds.length;
    const chosen = new Array<boolean>(n).fill(false);
    if (!this.opts.wholeWordMask) {
      for (let t = 0; t < n; t++) if (!this.isSpecial(f, t) && this.rng.nextFloat() < this.p) chosen[t] = true;
      return chosen;
    }
    if (!f.wordIds) throw new TypeError('wholeWordMask needs `wordIds` on every feature (packSequences provides them).');
    // HF's DataCollatorForWholeWordMask: shuffle the words, take whole words until ~p of the tokens.
    const words: number[][] = [];
    let prev: number | null = null;
    let candidates = 0;
    for (let t = 0; t < n; t++) {
      const w = f.wordIds[t] ?? null;
      if (w === null || this.isSpecial(f, t)) {
        prev = null;
        continue;
      }
      if (w !== prev || words.length === 0) words.push([t]);
      else words[words.length - 1]!.push(t);
      prev = w;
      candidates++;
    }
    this.rng.shuffle(words);
    const budget = Math.max(1, Math.round(candidates * this.p));
    let covered = 0;
    for (const word of words) {
      if (covered >= budget) break;
      if (covered + word.length > budget) continue;
      for (const t of word) chosen[t] = true;
      covered += word.length;
    }
    return chosen;
  }

  private mask(f: MlmFeature): [number[], number[]] {
    const chosen = this.choose(f);
    const ids = f.inputIds.slice();
    const labels = f.inputIds.map(() => IGNORE_INDEX);
    for (let t = 0; t < ids.length; t++) {
      if (!chosen[t]) continue;
      labels[t] = f.inputIds[t]!;
      const r = this.rng.nextFloat();
      if (r < 0.8) ids[t] = this.opts.maskTokenId;
      else if (r < 0.9) ids[t] = this.rng.int(this.opts.vocabSize);
    }
    return [ids, labels];
  }
}
