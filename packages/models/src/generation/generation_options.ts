import type { Generator, tf } from '@attn/tensor';

/** What generate() does, with HF GenerationConfig's names in camelCase and its defaults. */
export interface GenerationOptions {
  /** Tokens to add to each prompt at most (HF max_new_tokens); default 20. */
  maxNewTokens?: number;
  /** Sample from the processed distribution instead of taking the best token; default false (greedy). */
  doSample?: boolean;
  /** Divides the logits before sampling; default 1. */
  temperature?: number;
  /** Sample among the k most likely tokens only; 0 = off (HF's default is 50 when sampling; attn's is off). */
  topK?: number;
  /** Sample within the smallest set of tokens whose probability reaches p; default 1 (off). */
  topP?: number;
  /** > 1 discourages tokens already in the sequence (Keskar et al. 2019); default 1. */
  repetitionPenalty?: number;
  /** Beam search with this many beams; default 1 (no beam search). */
  numBeams?: number;
  /** Beam scores are divided by length^lengthPenalty; default 1. */
  lengthPenalty?: number;
  /** Beam search: stop once numBeams hypotheses are finished (true), HF's heuristic (false, default) or never early. */
  earlyStopping?: boolean | 'never';
  /** Sequences returned per prompt (beam search: at most numBeams); default 1. */
  numReturnSequences?: number;
  /** Stop a sequence at any of these tokens; default the config's eos_token_id; null = never. */
  eosTokenId?: number | number[] | null;
  /** Fills finished sequences; default the config's pad_token_id, else the first EOS id. */
  padTokenId?: number | null;
  /** 1 = token, 0 = left padding; [batch][seq] or an int32 tensor. Default: all ones. */
  attentionMask?: tf.Tensor | number[][];
  /** Seed of the sampling generator (or pass rng). */
  seed?: number;
  rng?: Generator;
  /** Stop a sequence once its decoded new text contains one of these (needs `decode`). */
  stopStrings?: string[];
  /** Token ids → text, for stopStrings. */
  decode?: (ids: number[]) => string;
  /**
   * Called after each step with the new token of every row (greedy and sampling); `finished` says which rows
   * are done. Return false to stop generating.
   */
  onToken?: (tokens: number[], finished: boolean[]) => void | boolean;
}

/** What generate() returns: prompt + new tokens per returned sequence (prompt padding kept), as HF's `sequences`. */
export interface GenerationOutput {
  sequences: number[][];
  /** Beam search: each returned sequence's sum of log-probabilities / length^lengthPenalty (HF sequences_scores). */
  sequencesScores?: number[];
}

/** Thrown for generate() options that contradict each other or the model. */
export class GenerationOptionsError extends Error {
  override name = 'GenerationOptionsError';
}
