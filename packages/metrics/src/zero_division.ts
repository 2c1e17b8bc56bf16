import { MetricsOptionError } from './metrics_error';

/**
 * sklearn's `zero_division`: the value a ratio takes when its denominator is
 * 0. `'warn'` acts as 0 and reports the ill-defined metric through `onWarning`
 * (console.warn unless given), as sklearn raises UndefinedMetricWarning.
 */
export type ZeroDivision = 0 | 1 | 'warn';

export function checkZeroDivision(zeroDivision: unknown, fn: string): ZeroDivision {
  if (zeroDivision === 0 || zeroDivision === 1 || zeroDivision === 'warn') return zeroDivision;
  throw new MetricsOptionError(fn, 'options.zeroDivision', `expected 0, 1 or 'warn', found ${String(zeroDivision)}`);
}

/** Element-wise num/den with `zeroDivision` where den is 0 (sklearn `_prf_divide`). */
export function divideWithZeroDivision(
  num: readonly number[],
  den: readonly number[],
  zeroDivision: ZeroDivision,
  onIllDefined?: () => void,
): number[] {
  let ill = false;
  const out = num.map((n, i) => {
    const d = den[i]!;
    if (d === 0) {
      ill = true;
      return zeroDivision === 1 ? 1 : 0;
    }
    return n / d;
  });
  if (ill && zeroDivision === 'warn' && onIllDefined) onIllDefined();
  return out;
}

/** F-beta from precision and recall exactly as sklearn 1.2 computes it (0 where both are 0). */
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
