import { MetricsInputError, MetricsOptionError } from '../metrics_error';
import { numpyMean, numpyWeightedAverage } from '../pairwise_sum';
import { checkZeroDivision, divideWithZeroDivision, fBeta, type ZeroDivision } from '../zero_division';
import { defaultEntities, strictSentenceEntities } from './entities';
import { autoDetectScheme, type SchemeName } from './scheme';

/** Tag sequences, one array of tags per sentence. */
export type TagSequences = readonly (readonly string[])[];

export interface SeqevalOptions {
  /** 'strict' applies the scheme's rules; default mode is conlleval-compatible. */
  mode?: 'strict';
  /** Scheme for strict mode; detected from yTrue when omitted (see README: seqeval itself then falls back to default mode). */
  scheme?: SchemeName;
  suffix?: boolean;
  zeroDivision?: ZeroDivision;
  onWarning?: (message: string) => void;
}

export interface SeqevalPrfOptions extends SeqevalOptions {
  /** Default `null` (per type). The single-score functions default to 'micro', as seqeval. */
  average?: null | 'micro' | 'macro' | 'weighted';
  beta?: number;
}

export interface SeqevalPerType {
  types: string[];
  precision: number[];
  recall: number[];
  fScore: number[];
  support: number[];
}

export interface SeqevalAveraged {
  precision: number;
  recall: number;
  fScore: number;
  /** Total number of true entities (seqeval returns it for averages too). */
  support: number;
}

/** seqeval `check_consistent_length`: a list of sentences each, same lengths pairwise. */
export function checkSequences(yTrue: TagSequences, yPred: TagSequences, fn: string): void {
  if (!Array.isArray(yTrue) || !Array.isArray(yPred) || ![...yTrue, ...yPred].every((s) => Array.isArray(s))) {
    throw new MetricsInputError(fn, 'yTrue/yPred', 'expected a list of sentences, each a list of tags (string[][])');
  }
  const lt = yTrue.map((s) => s.length);
  const lp = yPred.map((s) => s.length);
  if (lt.length !== lp.length || lt.some((n, i) => n !== lp[i])) {
    const at = lt.length !== lp.length ? `${lt.length} vs ${lp.length} sentences` : `sentence ${lt.findIndex((n, i) => n !== lp[i])}`;
    throw new MetricsInputError(fn, 'yPred', `inconsistent numbers of tags between yTrue and yPred (${at})`);
  }
}

/** Per-type counts of true, predicted and matching entities, types sorted. */
export interface EntityCounts {
  types: string[];
  truePositives: number[];
  predicted: number[];
  actual: number[];
}

export function entityCounts(yTrue: TagSequences, yPred: TagSequences, options: SeqevalOptions, fn: string): EntityCounts {
  checkSequences(yTrue, yPred, fn);
  const suffix = options.suffix ?? false;
  const byType = (seqs: TagSequences): Map<string, Set<string>> => {
    const map = new Map<string, Set<string>>();
    const add = (type: string, key: string) => {
      if (!map.has(type)) map.set(type, new Set());
      map.get(type)!.add(key);
    };
    if (options.mode === 'strict') {
      const scheme = options.scheme ?? autoDetectScheme(yTrue, suffix, fn);
      seqs.forEach((tags, s) => {
        for (const e of strictSentenceEntities(tags, scheme, s, suffix, fn)) add(e.type, `${s}:${e.start}:${e.end}`);
      });
    } else {
      for (const [type, start, end] of defaultEntities(seqs, suffix)) add(type, `${start}:${end}`);
    }
    return map;
  };
  const t = byType(yTrue);
  const p = byType(yPred);
  // Sorted like Python's sorted() on str: by code point.
  const types = [...new Set([...t.keys(), ...p.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const truePositives = types.map((ty) => {
    const ts = t.get(ty);
    const ps = p.get(ty);
    if (!ts || !ps) return 0;
    let n = 0;
    for (const k of ps) if (ts.has(k)) n++;
    return n;
  });
  return {
    types,
    truePositives,
    predicted: types.map((ty) => p.get(ty)?.size ?? 0),
    actual: types.map((ty) => t.get(ty)?.size ?? 0),
  };
}

/**
 * Entity-level precision, recall, F-beta and support as seqeval 1.2's
 * `precision_recall_fscore_support` (default or strict mode).
 */
export function seqevalPrecisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options?: SeqevalPrfOptions & { average?: null },
): SeqevalPerType;
export function seqevalPrecisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SeqevalPrfOptions & { average: 'micro' | 'macro' | 'weighted' },
): SeqevalAveraged;
export function seqevalPrecisionRecallFscoreSupport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SeqevalPrfOptions = {},
): SeqevalPerType | SeqevalAveraged {
  const fn = 'seqevalPrecisionRecallFscoreSupport';
  const average = options.average ?? null;
  if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
    throw new MetricsOptionError(fn, 'options.average', `expected null, 'micro', 'macro' or 'weighted', found ${String(average)}`);
  }
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new MetricsOptionError(fn, 'options.beta', `beta must be >= 0, found ${beta}`);
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 'warn', fn);
  const counts = entityCounts(yTrue, yPred, options, fn);
  let { truePositives: tp, predicted, actual } = counts;
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  if (average === 'micro') {
    tp = [sum(tp)];
    predicted = [sum(predicted)];
    actual = [sum(actual)];
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const precision = divideWithZeroDivision(tp, predicted, zeroDivision, () =>
    warn('Precision is ill-defined and being set to 0.0 for entity types with no predicted entities.'),
  );
  const recall = divideWithZeroDivision(tp, actual, zeroDivision, () =>
    warn('Recall is ill-defined and being set to 0.0 for entity types with no true entities.'),
  );
  const fScore = fBeta(precision, recall, beta);
  if (average === null) return { types: counts.types, precision, recall, fScore, support: actual };
  const support = sum(actual);
  if (average === 'weighted') {
    if (support === 0) {
      const zd = zeroDivision === 1 ? 1 : 0;
      const none = sum(predicted) === 0;
      return { precision: none ? zd : 0, recall: zd, fScore: none ? zd : 0, support: 0 };
    }
    return {
      precision: numpyWeightedAverage(precision, actual),
      recall: numpyWeightedAverage(recall, actual),
      fScore: numpyWeightedAverage(fScore, actual),
      support,
    };
  }
  // macro over no entity types at all is NaN, as numpy's mean of an empty array.
  return { precision: numpyMean(precision), recall: numpyMean(recall), fScore: numpyMean(fScore), support };
}

type SingleOptions = SeqevalOptions & { average?: 'micro' | 'macro' | 'weighted' };

const pick =
  (key: 'precision' | 'recall' | 'fScore') =>
  (yTrue: TagSequences, yPred: TagSequences, options: SingleOptions = {}): number =>
    seqevalPrecisionRecallFscoreSupport(yTrue, yPred, { ...options, average: options.average ?? 'micro' })[key];

/** seqeval `f1_score` (micro average by default). */
export const seqevalF1 = pick('fScore');
/** seqeval `precision_score` (micro average by default). */
export const seqevalPrecision = pick('precision');
/** seqeval `recall_score` (micro average by default). */
export const seqevalRecall = pick('recall');

/** seqeval `accuracy_score`: token-level fraction of equal tags over all sentences. */
export function seqevalAccuracy(yTrue: TagSequences, yPred: TagSequences): number {
  checkSequences(yTrue, yPred, 'seqevalAccuracy');
  let correct = 0;
  let total = 0;
  yTrue.forEach((tags, s) =>
    tags.forEach((t, i) => {
      total++;
      if (t === yPred[s]![i]) correct++;
    }),
  );
  return correct / total;
}
