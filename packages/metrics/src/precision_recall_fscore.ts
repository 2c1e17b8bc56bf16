import type { Label, LabelInput } from './array_like';
import { checkLabelsOption, checkTargets, uniqueLabels } from './label_set';
import { MetricsOptionError } from './metrics_error';
import { numpyMean, numpyWeightedAverage } from './pairwise_sum';
import { checkZeroDivision, divideWithZeroDivision, fBeta, type ZeroDivision } from './zero_division';

/** How per-class scores are combined (sklearn `average`); `null` keeps one score per class. */
export type Average = null | 'micro' | 'macro' | 'weighted' | 'binary';

export interface PrecisionRecallFscoreOptions {
  /** Classes to score, in this order. Default: every label in yTrue or yPred, sorted. */
  labels?: readonly Label[];
  /** Default `null` for `precisionRecallFscoreSupport`, `'binary'` for the single-score functions (as sklearn). */
  average?: Average;
  /** The positive class when `average === 'binary'`. Default 1. */
  posLabel?: Label;
  /** Value of a ratio with a zero denominator. Default `'warn'` (0 plus a warning). */
  zeroDivision?: ZeroDivision;
  /** Weight of recall in the F-score. Default 1 (F1). */
  beta?: number;
  /** Receives sklearn's UndefinedMetricWarning text. Default: console.warn. */
  onWarning?: (message: string) => void;
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

function warnOnce(onWarning: ((m: string) => void) | undefined, message: string): void {
  (onWarning ?? ((m: string) => console.warn(m)))(message);
}

/**
 * Precision, recall, F-beta and support, computed as scikit-learn 1.2's
 * `precision_recall_fscore_support` (same zero-division rules, same
 * summation order for averages).
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
  return average === null
    ? scoresFromCounts(counts, null, zeroDivision, beta, options.onWarning)
    : scoresFromCounts(counts, average, zeroDivision, beta, options.onWarning);
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
): PerClassScores;
export function scoresFromCounts(
  counts: ClassCounts,
  average: Exclude<Average, null>,
  zeroDivision: ZeroDivision,
  beta: number,
  onWarning?: (message: string) => void,
): AveragedScores;
export function scoresFromCounts(
  counts: ClassCounts,
  average: Average,
  zeroDivision: ZeroDivision,
  beta: number,
  onWarning?: (message: string) => void,
): PerClassScores | AveragedScores {
  let { truePositives: tp, predicted, actual } = counts;
  if (average === 'micro') {
    const total = (a: number[]) => [a.reduce((s, v) => s + v, 0)];
    tp = total(tp);
    predicted = total(predicted);
    actual = total(actual);
  }
  const label = average === 'micro' ? 'micro-average' : 'labels';
  const precision = divideWithZeroDivision(tp, predicted, zeroDivision, () =>
    warnOnce(
      onWarning,
      `Precision is ill-defined and being set to 0.0 in ${label} with no predicted samples. Use \`zeroDivision\` to control this behavior.`,
    ),
  );
  const recall = divideWithZeroDivision(tp, actual, zeroDivision, () =>
    warnOnce(
      onWarning,
      `Recall is ill-defined and being set to 0.0 in ${label} with no true samples. Use \`zeroDivision\` to control this behavior.`,
    ),
  );
  const fScore = fBeta(precision, recall, beta);

  if (average === null) return { labels: [...counts.labels], precision, recall, fScore, support: actual };

  if (average === 'weighted') {
    const weightSum = actual.reduce((s, v) => s + v, 0);
    if (weightSum === 0) {
      // sklearn: precision is zeroDivision if nothing was predicted, recall always is,
      // F is zeroDivision only if labels AND predictions are all negative.
      const zd = zeroDivision === 1 ? 1 : 0;
      const nothingPredicted = predicted.reduce((s, v) => s + v, 0) === 0;
      return nothingPredicted
        ? { precision: zd, recall: zd, fScore: zd, support: null }
        : { precision: 0, recall: zd, fScore: 0, support: null };
    }
    return {
      precision: numpyWeightedAverage(precision, actual),
      recall: numpyWeightedAverage(recall, actual),
      fScore: numpyWeightedAverage(fScore, actual),
      support: null,
    };
  }
  return { precision: numpyMean(precision), recall: numpyMean(recall), fScore: numpyMean(fScore), support: null };
}

type SingleScoreOptions = Omit<PrecisionRecallFscoreOptions, 'average'> & { average?: Exclude<Average, null> };

function single(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: SingleScoreOptions & { beta?: number },
  pick: (s: AveragedScores) => number,
): number {
  return pick(precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: options.average ?? 'binary' }));
}

/** sklearn `f1_score`; `average` defaults to 'binary' as in sklearn. */
export function f1Score(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, { ...options, beta: 1 }, (s) => s.fScore);
}

/** sklearn `fbeta_score`. */
export function fbetaScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions & { beta: number }): number {
  return single(yTrue, yPred, options, (s) => s.fScore);
}

/** sklearn `precision_score`; `average` defaults to 'binary'. */
export function precisionScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, options, (s) => s.precision);
}

/** sklearn `recall_score`; `average` defaults to 'binary'. */
export function recallScore(yTrue: LabelInput, yPred: LabelInput, options: SingleScoreOptions = {}): number {
  return single(yTrue, yPred, options, (s) => s.recall);
}
