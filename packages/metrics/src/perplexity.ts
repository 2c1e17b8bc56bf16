import { MetricsInputError } from './metrics_error';

/**
 * Perplexity exp(mean negative log-likelihood) of per-token NLLs in nats (the causal-LM loss of each predicted
 * token). NaN for no tokens, as a mean over nothing.
 */
export function perplexity(tokenNll: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < tokenNll.length; i++) {
    const x = tokenNll[i]!;
    if (!Number.isFinite(x) || x < 0) throw new MetricsInputError('perplexity', 'tokenNll', `entry ${i} is ${x}; a negative log-likelihood is a finite number >= 0.`);
    sum += x;
  }
  return Math.exp(sum / tokenNll.length);
}

/**
 * Perplexity over an evaluation set from each batch's mean loss and the number of tokens it predicted,
 * weighted by tokens. (HF run_clm takes exp of the mean of batch means, which over-weights short last batches.)
 */
export class PerplexityAccumulator {
  private nllSum = 0;
  private count = 0;

  /** `meanNll`: the batch's causal-LM loss (mean over its `tokens` predicted tokens, labels != -100). */
  add(meanNll: number, tokens: number): this {
    if (!Number.isFinite(meanNll) || meanNll < 0) throw new MetricsInputError('PerplexityAccumulator.add', 'meanNll', `${meanNll}; a loss in nats is a finite number >= 0.`);
    if (!Number.isInteger(tokens) || tokens < 0) throw new MetricsInputError('PerplexityAccumulator.add', 'tokens', `${tokens}; the number of predicted tokens is an integer >= 0.`);
    this.nllSum += meanNll * tokens;
    this.count += tokens;
    return this;
  }

  get tokens(): number {
    return this.count;
  }

  /** Mean NLL per token in nats (NaN before any token). */
  get meanNll(): number {
    return this.nllSum / this.count;
  }

  get value(): number {
    return Math.exp(this.meanNll);
  }
}
