import { MetricsInputError } from '../metrics_error';
import { normalizeAnswer, pythonSplit } from './normalize_answer';

/** 1 if the normalised strings are equal, else 0 (official `exact_match_score`). */
export function squadExactMatch(prediction: string, groundTruth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(groundTruth) ? 1 : 0;
}

/** Bag-of-tokens F1 between normalised answers (official v1.1 `f1_score`). */
export function squadTokenF1(prediction: string, groundTruth: string): number {
  const predTokens = pythonSplit(normalizeAnswer(prediction));
  const goldTokens = pythonSplit(normalizeAnswer(groundTruth));
  return tokenF1(predTokens, goldTokens);
}

/** F1 of two token multisets; 0 when they share nothing. */
export function tokenF1(predTokens: readonly string[], goldTokens: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of goldTokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  let numSame = 0;
  for (const t of predTokens) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      numSame++;
      counts.set(t, c - 1);
    }
  }
  if (numSame === 0) return 0;
  const precision = (1.0 * numSame) / predTokens.length;
  const recall = (1.0 * numSame) / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface SquadV1Result {
  /** Percent, 0-100, like the official script and HF `evaluate`. */
  exact_match: number;
  f1: number;
}

/**
 * SQuAD v1.1 EM and F1 (percent), maximised over the gold answers of each
 * question. Questions without a prediction score 0 but still count, as in
 * the official script.
 */
export function squadV1(
  predictions: Readonly<Record<string, string>>,
  references: Readonly<Record<string, readonly string[]>>,
  options: { onMissing?: (id: string) => void } = {},
): SquadV1Result {
  let em = 0;
  let f1 = 0;
  let total = 0;
  for (const [id, golds] of Object.entries(references)) {
    total += 1;
    const prediction = predictions[id];
    if (prediction === undefined) {
      options.onMissing?.(id);
      continue;
    }
    if (golds.length === 0) {
      throw new MetricsInputError('squadV1', `references[${JSON.stringify(id)}]`, 'no gold answers; SQuAD v1.1 questions all have answers (use squadV2 for unanswerable ones)');
    }
    em += Math.max(...golds.map((g) => squadExactMatch(prediction, g)));
    f1 += Math.max(...golds.map((g) => squadTokenF1(prediction, g)));
  }
  if (total === 0) throw new MetricsInputError('squadV1', 'references', 'no questions to score');
  return { exact_match: (100.0 * em) / total, f1: (100.0 * f1) / total };
}
