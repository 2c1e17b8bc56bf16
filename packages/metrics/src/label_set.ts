import { type Label, type LabelInput, toLabelArray } from './array_like';
import { MetricsInputError } from './metrics_error';

/** sklearn's target types for 1-D label vectors. */
export type TargetType = 'binary' | 'multiclass';

export interface CheckedTargets {
  yTrue: Label[];
  yPred: Label[];
  /** 'binary' when the union of both vectors holds at most two distinct labels (sklearn `_check_targets`). */
  type: TargetType;
}

/**
 * Orders labels as numpy sorts them: numbers numerically, strings by code
 * point (Python's `str` comparison), never a mix of the two.
 */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  if (sa === sb) return 0;
  // UTF-16 order equals code-point order except around surrogates; compare code points to match Python.
  const ia = sa[Symbol.iterator]();
  const ib = sb[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function kindOf(...arrays: readonly (readonly Label[])[]): 'number' | 'string' | 'empty' | 'mixed' {
  let kind: 'number' | 'string' | 'empty' = 'empty';
  for (const values of arrays) {
    for (const v of values) {
      const k = typeof v === 'number' ? 'number' : 'string';
      if (kind === 'empty') kind = k;
      else if (kind !== k) return 'mixed';
    }
  }
  return kind;
}

/** Sorted distinct labels of all arrays (sklearn `unique_labels`). */
export function uniqueLabels(...arrays: readonly (readonly Label[])[]): Label[] {
  const seen = new Set<Label>();
  for (const a of arrays) for (const v of a) seen.add(v);
  return [...seen].sort(compareLabels);
}

/**
 * Validates a (yTrue, yPred) pair as sklearn's `_check_targets` does for 1-D
 * input: equal lengths, one label kind, and the binary/multiclass decision.
 */
export function checkTargets(yTrueIn: LabelInput, yPredIn: LabelInput, fn: string): CheckedTargets {
  const yTrue = toLabelArray(yTrueIn, fn, 'yTrue');
  const yPred = toLabelArray(yPredIn, fn, 'yPred');
  if (yTrue.length !== yPred.length) {
    throw new MetricsInputError(
      fn,
      'yPred',
      `found ${yPred.length} predictions for ${yTrue.length} true labels; both must have one entry per sample`,
    );
  }
  if (yTrue.length === 0) {
    // sklearn ≥ 1.3 (`check_array` with ensure_min_samples=1) rejects empty input everywhere.
    throw new MetricsInputError(fn, 'yTrue', 'found an empty input array; at least 1 sample is required');
  }
  const kind = kindOf(yTrue, yPred);
  if (kind === 'mixed') {
    throw new MetricsInputError(
      fn,
      'yTrue/yPred',
      'mix of number and string labels; map them to one type first (sklearn would silently turn numbers into strings)',
    );
  }
  const type: TargetType = uniqueLabels(yTrue, yPred).length <= 2 ? 'binary' : 'multiclass';
  return { yTrue, yPred, type };
}

/** Validates an explicit `labels` option against the kind of labels in the data. */
export function checkLabelsOption(
  labels: readonly Label[],
  targets: CheckedTargets,
  fn: string,
  field = 'options.labels',
): Label[] {
  const list = toLabelArray(labels, fn, field);
  const dataKind = kindOf(targets.yTrue, targets.yPred);
  const kind = kindOf(list);
  if (kind === 'mixed' || (dataKind !== 'empty' && kind !== 'empty' && kind !== dataKind)) {
    throw new MetricsInputError(
      fn,
      field,
      `labels are ${kind} but the data holds ${dataKind} labels; pass labels of the same type as yTrue/yPred`,
    );
  }
  return list;
}
