import type { Model } from '../models/model';

/** What a trainer hands back: the trained model and the tokens Tokenizer.train adds as special tokens. */
export interface TrainResult {
  model: Model;
  specialTokens: string[];
}

/**
 * HF's Trainer: learns a model from word counts (the normalized, pre-tokenized words of the
 * training texts). Tokenizer.train / trainFromIterator count the words and call it.
 */
export interface Trainer {
  readonly showProgress: boolean;
  /** `model` is the tokenizer's current model: its settings (unk token, byte fallback, …) carry over. */
  train(wordCounts: Map<string, number>, model: Model): TrainResult;
}
