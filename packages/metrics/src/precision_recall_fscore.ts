import type { Label, LabelInput } from './array_like';
import { checkLabelsOption, checkTargets, uniqueLabels } from './label_set';
import { MetricsOptionError } from './metrics_error';
import { numpyNanAverage } from './pairwise_sum';
import { checkZeroDivision, divideWithZeroDivision, type ZeroDivision } from './zero_division';

/** How per-class scores are combined (sklearn `average`); `null` keeps one score per class. */
export type Average = null | 'micro' | 'macro' | 'weighted' | 'binary';

export interface PrecisionRecallFscoreOptions {
  /** Classes to score, in this order. Default: every label in yTrue or yPred, sorted. */
  labels?: readonly Label[];
  /** Default `null` for `precisionRecallFscoreSupport`, `'binary'` for the single-score functions (as sklearn). */
  average?: Average;
  /** The positive class when `average === 'binary'`. Default 1. */
  posLabel?: Label;
  /** Value of a ratio with a zero denominator: 0, 1 or NaN (averages then skip it). Default `'warn'` (0 plus a warning). */
  zeroDivision?: ZeroDivision;
  /** Weight of recall in the F-score. Default 1 (F1). */
  beta?: number;
  /** Receives sklearn's UndefinedMetricWarning text. Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Which ill-defined ratios warn (sklearn `warn_for`). Default all three; `f1Score` passes `['f-score']`. */
  warnFor?: WarnFor;
}

export interface PerClassScores {
  labels: Label[];
  precision: number[];
  recall: number[];
  fScore: number[];
  /** Number of true samples of each class. */
  support: number[];
}

export interface AveragedScores {
  precision: number;
  recall: number;
  fScore: number;
  /** sklearn returns no support for averages. */
  support: null;
}

/** Per-class counts the ratios are built from (the diagonal view of a multilabel confusion matrix). */
export interface ClassCounts {
  labels: Label[];
  truePositives: number[];
  predicted: number[];
  actual: number[];
}

/** Counts tp / predicted / true per requested label, labels absent from the data count 0. */
export function classCounts(yTrue: readonly Label[], yPred: readonly Label[], labels: readonly Label[]): ClassCounts {
  const tp = new Map<Label, number>();
  const pred = new Map<Label, number>();
  const act = new Map<Label, number>();
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    act.set(t, (act.get(t) ?? 0) + 1);
    pred.set(p, (pred.get(p) ?? 0) + 1);
    if (t === p) tp.set(t, (tp.get(t) ?? 0) + 1);
  }
  return {
    labels: [...labels],
    truePositives: labels.map((l) => tp.get(l) ?? 0),
    predicted: labels.map((l) => pred.get(l) ?? 0),
    actual: labels.map((l) => act.get(l) ?? 0),
  };
}

const AVERAGES: readonly Average[] = [null, 'micro', 'macro', 'weighted', 'binary'];

/** Which ill-defined ratios are reported (sklearn's internal `warn_for`). */
export type WarnFor = readonly ('precision' | 'recall' | 'f-score')[];
const WARN_ALL: WarnFor = ['precision', 'recall', 'f-score'];

/** sklearn `_warn_prf`'s UndefinedMetricWarning text (its parameter name spelled as ours). */
function warnPrf(onWarning: ((m: string) => void) | undefined, msgStart: string, modifier: string, size: number): void {
  const where = size === 1 ? 'due to' : 'in labels with';
  (onWarning ?? ((m: string) => console.warn(m)))(
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use \`zeroDivision\` parameter to control this behavior.`,
  );
}

/**
 * Precision, recall, F-beta and support, computed as scikit-learn 1.9's
 * `precision_recall_fscore_support` (F from the counts, same zero-division
 * rules and warnings, same summation order for averages).
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallFscoreOptions & { average?: null },
): PerClassScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallFscoreOptions & { average: Exclude<Average, null> },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallFscoreOptions,
): PerClassScores | AveragedScores;
export function precisionRecallFscoreSupport(
  yTrueIn: LabelInput,
  yPredIn: LabelInput,
  options: PrecisionRecallFscoreOptions = {},
): PerClassScores | AveragedScores {
  const fn = 'precisionRecallFscoreSupport';
  const average = options.average ?? null;
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 'warn', fn);
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new MetricsOptionError(fn, 'options.beta', `beta must be >= 0, found ${beta}`);
  if (!AVERAGES.includes(average)) {
    throw new MetricsOptionError(
      fn,
      'options.average',
      `expected null, 'micro', 'macro', 'weighted' or 'binary', found ${String(average)}`,
    );
  }
  const targets = checkTargets(yTrueIn, yPredIn, fn);
  const present = uniqueLabels(targets.yTrue, targets.yPred);
  let labels: Label[];
  if (average === 'binary') {
    if (targets.type !== 'binary') {
      throw new MetricsOptionError(
        fn,
        'options.average',
        "target is multiclass but average='binary'; choose one of null, 'micro', 'macro', 'weighted'",
      );
    }
    const posLabel = options.posLabel ?? 1;
    if (!present.includes(posLabel) && present.length >= 2) {
      throw new MetricsOptionError(
        fn,
        'options.posLabel',
        `posLabel=${JSON.stringify(posLabel)} is not a valid label; it should be one of ${JSON.stringify(present)}`,
      );
    }
    labels = [posLabel];
  } else {
    labels = options.labels === undefined ? present : checkLabelsOption(options.labels, targets, fn);
  }

  const counts = classCounts(targets.yTrue, targets.yPred, labels);
  const warnFor = options.warnFor ?? WARN_ALL;
  return average === null
    ? scoresFromCounts(counts, null, zeroDivision, beta, options.onWarning, warnFor)
    : scoresFromCounts(counts, average, zeroDivision, beta, options.onWarning, warnFor);
}

/**
 * The ratios and averages from per-class counts (the part of sklearn's
 * `precision_recall_fscore_support` after `multilabel_confusion_matrix`).
 * `'binary'` expects counts for the positive label only.
 */
export function scoresFromCounts(
  counts: ClassCounts,
  average: null,
  zeroDivision: ZeroDivision,
  beta: number,
  onWarning?: (message: string) => void,
  warnFor?: WarnFor,
): PerClassScores;
export function scoresFromCounts(
  counts: ClassCounts,
  average: Exclude<Average, null>,
  zeroDivision: ZeroDivision,
  beta: number,
  onWarning?: (message: string) => void,
  warnFor?: WarnFor,
): AveragedScores;
export function scoresFromCounts(
  counts: ClassCounts,
  average: Average,
  zeroDivision: ZeroDivision,
  beta: number,
  onWarning?: (message: string) => void,
  warnFor: WarnFor = WARN_ALL,
): PerClassScores | AveragedScores {
  let { truePositives: tp, predicted, actual } = counts;
  if (average === 'micro') {
    const total = (a: number[]) => [a.reduce((s, v) => s + v, 0)];
    tp = total(tp);
    predicted = total(predicted);
    actual = total(actual);
  }
  const warn = (metric: WarnFor[number], msgStart: string, modifier: string) => () => {
    if (warnFor.includes(metric)) warnPrf(onWarning, msgStart, modifier, tp.length);
  };
  const precision = divideWithZeroDivision(tp, predicted, zeroDivision, warn('precision', 'Precision is', 'predicted'));
  const recall = divideWithZeroDivision(tp, actual, zeroDivision, warn('recall', 'Recall is', 'true'));
  let fScore: number[];
  if (beta === Infinity) fScore = recall;
  else if (beta === 0) fScore = precision;
  else {
    // sklearn ≥ 1.3: (1 + β²)·tp / (β²·true + predicted), not from the rounded ratios.
    const beta2 = beta * beta;
    fScore = divideWithZeroDivision(
      tp.map((t) => (1 + beta2) * t),
      actual.map((a, i) => beta2 * a + predicted[i]!),
      zeroDivision,
      warn('f-score', 'F-score is', 'true nor predicted'),
    );
  }

  if (average === null) return { labels: [...counts.labels], precision, recall, fScore, support: actual };
  // sklearn `_nanaverage`: NaN entries (zeroDivision NaN) are skipped; all-zero weights fall back to the plain mean.
  const weights = average === 'weighted' ? actual : undefined;
  return {
    precision: numpyNanAverage(precision, weights),
    recall: numpyNanAverage(recall, weights),
    fScore: numpyNanAverage(fScore, weights),
    support: null,
  };
}

type SingleScoreOptions = Omit<PrecisionRecallFscoreOptions, 'average'> & { average?: Exclude<Average, null> };

function single(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: SingleScoreOptions & { beta?: number },
  metric: WarnFor[number],
): number {
  const scores = precisionRecallFscoreSupport(yTrue, yPred, {
    ...options,
    average: options.average ?? 'binary',
    warnFor: [metric],
  });
  return metric === 'precision' ? scores.precision : metric === 'recall' ? scores.recall : scores.fScore;
}

/** sklearn `f1_score`; `average` defaults to 'binary' as in sklearn. */
export function f1Score(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, { ...options, beta: 1 }, 'f-score');
}

/** sklearn `fbeta_score`. */
export function fbetaScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions & { beta: number }): number {
  return single(yTrue, yPred, options, 'f-score');
}

/** sklearn `precision_score`; `average` defaults to 'binary'. */
export function precisionScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, options, 'precision');
}

/** sklearn `recall_score`; `average` defaults to 'binary'. */
export function recallScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, options, 'recall');
}
