import { MetricsOptionError } from './metrics_error';

/**
 * sklearn's `zero_division`: the value a ratio takes when its denominator is
 * 0. `'warn'` acts as 0 and reports the ill-defined metric through `onWarning`
 * (console.warn unless given), as sklearn raises UndefinedMetricWarning.
 * `Number.NaN` (sklearn ≥ 1.3's `np.nan`) marks the ratio undefined, and
 * averages then skip it (all-NaN averages are NaN).
 */
export type ZeroDivision = 0 | 1 | 'warn' | number;

export function checkZeroDivision(zeroDivision: unknown, fn: string): ZeroDivision {
  if (zeroDivision === 0 || zeroDivision === 1 || zeroDivision === 'warn') return zeroDivision;
  if (typeof zeroDivision === 'number' && Number.isNaN(zeroDivision)) return zeroDivision;
  throw new MetricsOptionError(
    fn,
    'options.zeroDivision',
    `expected 0, 1, NaN or 'warn', found ${String(zeroDivision)}`,
  );
}

/** The number a zero-denominator ratio becomes (sklearn `_check_zero_division`). */
export function zeroDivisionValue(zeroDivision: ZeroDivision): number {
  return zeroDivision === 'warn' ? 0 : zeroDivision;
}

/** Element-wise num/den with `zeroDivision` where den is 0 (sklearn `_prf_divide`). */
export function divideWithZeroDivision(
  num: readonly number[],
  den: readonly number[],
  zeroDivision: ZeroDivision,
  onIllDefined?: () => void,
): number[] {
  let ill = false;
  const zd = zeroDivisionValue(zeroDivision);
  const out = num.map((n, i) => {
    const d = den[i]!;
    if (d === 0) {
      ill = true;
      return zd;
    }
    return n / d;
  });
  if (ill && zeroDivision === 'warn' && onIllDefined) onIllDefined();
  return out;
}

/**
 * F-beta from precision and recall as scikit-learn < 1.3 (and so seqeval
 * 1.2.2, which vendors that code) computes it: 0 where both are 0.
 */
export function fBeta(precision: readonly number[], recall: readonly number[], beta: number): number[] {
  if (beta === Infinity) return [...recall];
  const beta2 = beta * beta;
  return precision.map((p, i) => {
    const r = recall[i]!;
    let denom = beta2 * p + r;
    if (denom === 0) denom = 1;
    return ((1 + beta2) * p * r) / denom;
  });
}
