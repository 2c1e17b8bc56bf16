import { MetricsInputError, MetricsOptionError } from '../metrics_error';
import { numpyMean, numpyWeightedAverage } from '../pairwise_sum';
import { divideWithZeroDivision, fBeta } from '../zero_division';
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
  /** Value of a ratio with a zero denominator. Default `'warn'` (0 plus a warning). seqeval knows no NaN here. */
  zeroDivision?: 0 | 1 | 'warn';
  /** Receives seqeval's warnings (ill-defined ratios, "… seems not to be NE tag."). Default: console.warn. */
  onWarning?: (message: string) => void;
}

export interface SeqevalPrfOptions extends SeqevalOptions {
  /** Default `null` (per type). The single-score functions default to 'micro', as seqeval. */
  average?: null | 'micro' | 'macro' | 'weighted';
  beta?: number;
  /** Which ill-defined ratios warn (seqeval `warn_for`). Default all three; `seqevalF1` passes `['f-score']`. */
  warnFor?: readonly ('precision' | 'recall' | 'f-score')[];
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
  const warned = new Set<string>();
  const warnNotNeTag = (message: string) => {
    // Python shows a repeated warning once; so do we, per call.
    if (warned.has(message)) return;
    warned.add(message);
    (options.onWarning ?? ((m: string) => console.warn(m)))(message);
  };
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
      for (const [type, start, end] of defaultEntities(seqs, suffix, warnNotNeTag)) add(type, `${start}:${end}`);
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
  options?: SeqevalPrfOptions,
): SeqevalPerType | SeqevalAveraged;
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
  const zeroDivision = options.zeroDivision ?? 'warn';
  if (zeroDivision !== 0 && zeroDivision !== 1 && zeroDivision !== 'warn') {
    // seqeval 1.2 silently turns any other value (NaN included) into 1.
    throw new MetricsOptionError(fn, 'options.zeroDivision', `expected 0, 1 or 'warn', found ${String(zeroDivision)}`);
  }
  const warnFor = options.warnFor ?? ['precision', 'recall', 'f-score'];
  const counts = entityCounts(yTrue, yPred, options, fn);
  let { truePositives: tp, predicted, actual } = counts;
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  if (average === 'micro') {
    tp = [sum(tp)];
    predicted = [sum(predicted)];
    actual = [sum(actual)];
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  // seqeval's `_prf_divide` / `_warn_prf` texts, its parameter name spelled as ours.
  const prfWarning = (msgStart: string, modifier: string) =>
    `${msgStart} ill-defined and being set to 0.0 ${tp.length === 1 ? 'due to' : 'in labels with'} no ${modifier} samples. Use \`zeroDivision\` parameter to control this behavior.`;
  const ratioWarning = (metric: 'precision' | 'recall', modifier: string) => () => {
    if (!warnFor.includes(metric)) return;
    const name = metric === 'precision' ? 'Precision' : 'Recall';
    warn(prfWarning(warnFor.includes('f-score') ? `${name} and F-score are` : `${name} is`, modifier));
  };
  const precision = divideWithZeroDivision(tp, predicted, zeroDivision, ratioWarning('precision', 'predicted'));
  const recall = divideWithZeroDivision(tp, actual, zeroDivision, ratioWarning('recall', 'true'));
  // F alone warns only when some type has neither true nor predicted entities.
  if (zeroDivision === 'warn' && warnFor.length === 1 && warnFor[0] === 'f-score') {
    if (actual.some((a, i) => a === 0 && predicted[i] === 0)) warn(prfWarning('F-score is', 'true nor predicted'));
  }
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
    seqevalPrecisionRecallFscoreSupport(yTrue, yPred, {
      ...options,
      average: options.average ?? 'micro',
      warnFor: [key === 'fScore' ? 'f-score' : key],
    })[key];

/** seqeval `f1_score` (micro average by default). */
export const seqevalF1 = pick('fScore');
/** seqeval `precision_score` (micro average by default). */
export const seqevalPrecision = pick('precision');
/** seqeval `recall_score` (micro average by default). */
export const seqevalRecall = pick('recall');

/** Token counts of seqeval's `performance_measure`. */
export interface PerformanceMeasure {
  /** Tokens where the tags agree and at least one of them is not `O`. */
  TP: number;
  /** Tokens predicted as a non-`O` tag other than the true one. */
  FP: number;
  /** Tokens with a true non-`O` tag predicted as `O`. */
  FN: number;
  /** Tokens that are `O` in both. */
  TN: number;
}

/**
 * seqeval `performance_measure`: token-level TP / FP / FN / TN over all
 * sentences (a flat tag list works too). A wrong non-`O` tag over a true
 * non-`O` tag counts as FP only, as in seqeval.
 */
export function performanceMeasure(
  yTrue: TagSequences | readonly string[],
  yPred: TagSequences | readonly string[],
): PerformanceMeasure {
  const fn = 'performanceMeasure';
  const flat = (y: TagSequences | readonly string[]): string[] =>
    (y as readonly unknown[]).some((s) => Array.isArray(s)) ? (y as TagSequences).flat() : [...(y as readonly string[])];
  if (!Array.isArray(yTrue) || !Array.isArray(yPred)) {
    throw new MetricsInputError(fn, 'yTrue/yPred', 'expected lists of sentences (string[][]) or flat tag lists (string[])');
  }
  const t = flat(yTrue);
  const p = flat(yPred);
  if (t.length !== p.length) {
    throw new MetricsInputError(fn, 'yPred', `found ${p.length} predicted tags for ${t.length} true tags; both must have one per token`);
  }
  const out: PerformanceMeasure = { TP: 0, FP: 0, FN: 0, TN: 0 };
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    const b = p[i]!;
    if (a === b && (a !== 'O' || b !== 'O')) out.TP++;
    if (a !== b && b !== 'O') out.FP++;
    if (a !== 'O' && b === 'O') out.FN++;
    if (a === 'O' && b === 'O') out.TN++;
  }
  return out;
}

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
