import { MetricsInputError } from '../metrics_error';
import { normalizeAnswer, pythonSplit } from './normalize_answer';
import { tokenF1 } from './squad_v1';

export interface SquadV2Options {
  /** Probability that each question has no answer; enables the best-threshold search. */
  noAnswerProbabilities?: Readonly<Record<string, number>>;
  /** Predict "no answer" where the probability exceeds this. Default 1.0 (never), as the official script. */
  noAnswerThreshold?: number;
}

/** Field names as the official evaluate-v2.0.py prints them. */
export interface SquadV2Result {
  exact: number;
  f1: number;
  total: number;
  HasAns_exact?: number;
  HasAns_f1?: number;
  HasAns_total?: number;
  NoAns_exact?: number;
  NoAns_f1?: number;
  NoAns_total?: number;
  best_exact?: number;
  best_exact_thresh?: number;
  best_f1?: number;
  best_f1_thresh?: number;
}

function getTokens(s: string): string[] {
  return s ? pythonSplit(normalizeAnswer(s)) : [];
}

/** evaluate-v2.0.py `compute_exact`: 1 if the normalised answers are equal (two empty answers are). */
export function squadV2Exact(gold: string, prediction: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(prediction) ? 1 : 0;
}

/** evaluate-v2.0.py `compute_f1`: token F1; an empty gold or prediction scores 1 only if both are empty. */
export function squadV2F1(gold: string, prediction: string): number {
  const g = getTokens(gold);
  const p = getTokens(prediction);
  if (g.length === 0 || p.length === 0) return g.length === p.length ? 1 : 0;
  return tokenF1(p, g);
}

/** Per-question scores (0..1) before any no-answer threshold, keyed by question id. */
export interface SquadV2RawScores {
  exact: Record<string, number>;
  f1: Record<string, number>;
}

/**
 * evaluate-v2.0.py `get_raw_scores`: for each question, the best EM and F1
 * of the prediction over its non-empty gold answers (`""` when it has none).
 * What `squadV2` averages; use it to look at single questions.
 */
export function squadV2RawScores(
  predictions: Readonly<Record<string, string>>,
  references: Readonly<Record<string, readonly string[]>>,
): SquadV2RawScores {
  const fn = 'squadV2RawScores';
  const exact: Record<string, number> = {};
  const f1: Record<string, number> = {};
  for (const id of Object.keys(references)) {
    const pred = predictions[id];
    if (pred === undefined) {
      // The official script would fail later on this id (KeyError); say which one instead.
      throw new MetricsInputError(fn, `predictions[${JSON.stringify(id)}]`, 'missing; predict "" for no answer');
    }
    let golds = references[id]!.filter((a) => normalizeAnswer(a));
    if (golds.length === 0) golds = [''];
    exact[id] = Math.max(...golds.map((g) => squadV2Exact(g, pred)));
    f1[id] = Math.max(...golds.map((g) => squadV2F1(g, pred)));
  }
  return { exact, f1 };
}

/**
 * SQuAD v2.0 as the official evaluate-v2.0.py: a question with no (non-empty)
 * gold answer is answered correctly only by the empty string; scores are
 * split into HasAns/NoAns; with no-answer probabilities, the thresholds that
 * maximise EM and F1 are searched. References map id → gold answers ([] = no answer).
 */
export function squadV2(
  predictions: Readonly<Record<string, string>>,
  references: Readonly<Record<string, readonly string[]>>,
  options: SquadV2Options = {},
): SquadV2Result {
  const fn = 'squadV2';
  const ids = Object.keys(references);
  if (ids.length === 0) throw new MetricsInputError(fn, 'references', 'no questions to score');
  const hasAns = new Map(ids.map((id) => [id, references[id]!.length > 0]));
  const raw = squadV2RawScores(predictions, references);
  const exactRaw = new Map(ids.map((id) => [id, raw.exact[id]!]));
  const f1Raw = new Map(ids.map((id) => [id, raw.f1[id]!]));
  const naProbs = options.noAnswerProbabilities ?? Object.fromEntries(ids.map((id) => [id, 0.0]));
  const threshold = options.noAnswerThreshold ?? 1.0;
  const applyThreshold = (raw: Map<string, number>) =>
    new Map([...raw].map(([id, s]) => [id, (naProbs[id] ?? 0) > threshold ? (hasAns.get(id) ? 0 : 1) : s]));
  const exactT = applyThreshold(exactRaw);
  const f1T = applyThreshold(f1Raw);
  const evalOn = (list: string[]) => {
    let e = 0;
    let f = 0;
    for (const id of list) {
      e += exactT.get(id)!;
      f += f1T.get(id)!;
    }
    return { exact: (100.0 * e) / list.length, f1: (100.0 * f) / list.length, total: list.length };
  };
  const out: SquadV2Result = evalOn(ids);
  const hasIds = ids.filter((id) => hasAns.get(id));
  const noIds = ids.filter((id) => !hasAns.get(id));
  if (hasIds.length > 0) {
    const r = evalOn(hasIds);
    Object.assign(out, { HasAns_exact: r.exact, HasAns_f1: r.f1, HasAns_total: r.total });
  }
  if (noIds.length > 0) {
    const r = evalOn(noIds);
    Object.assign(out, { NoAns_exact: r.exact, NoAns_f1: r.f1, NoAns_total: r.total });
  }
  if (options.noAnswerProbabilities) {
    const [bestExact, exactThresh] = findBestThreshold(predictions, exactRaw, naProbs, hasAns);
    const [bestF1, f1Thresh] = findBestThreshold(predictions, f1Raw, naProbs, hasAns);
    Object.assign(out, { best_exact: bestExact, best_exact_thresh: exactThresh, best_f1: bestF1, best_f1_thresh: f1Thresh });
  }
  return out;
}

/**
 * Official `find_best_thresh`: start from "answer nothing" (all NoAns right),
 * then admit questions in order of increasing no-answer probability and keep
 * the probability at which the running score peaked.
 */
function findBestThreshold(
  predictions: Readonly<Record<string, string>>,
  scores: Map<string, number>,
  naProbs: Readonly<Record<string, number>>,
  hasAns: Map<string, boolean>,
): [number, number] {
  let numNoAns = 0;
  for (const v of hasAns.values()) if (!v) numNoAns++;
  let cur = numNoAns;
  let best = cur;
  let bestThresh = 0.0;
  // Array.prototype.sort is stable, like Python's sorted.
  const order = Object.keys(naProbs).sort((a, b) => naProbs[a]! - naProbs[b]!);
  for (const id of order) {
    if (!scores.has(id)) continue;
    const diff = hasAns.get(id) ? scores.get(id)! : predictions[id] ? -1 : 0;
    cur += diff;
    if (cur > best) {
      best = cur;
      bestThresh = naProbs[id]!;
    }
  }
  return [(100.0 * best) / scores.size, bestThresh];
}
