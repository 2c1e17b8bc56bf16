/**
 * numpy's pairwise summation of float64 (`pairwise_sum_DOUBLE`, used by
 * `ndarray.sum()` and `mean()`): eight running partial sums in blocks of up
 * to 128 values, halving recursively above that. Reproducing the order keeps
 * averages bit-identical to sklearn's instead of merely close.
 */
export function pairwiseSum(values: readonly number[], start = 0, n = values.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = new Array<number>(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] = r[j]! + values[start + i + j]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += values[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, n2) + pairwiseSum(values, start + n2, n - n2);
}

/** `np.mean` of a float64 vector: pairwise sum divided by the count (NaN when empty). */
export function numpyMean(values: readonly number[]): number {
  return pairwiseSum(values) / values.length;
}

/** `np.average(values, weights=weights)`: sum(values*weights)/sum(weights), both pairwise. */
export function numpyWeightedAverage(values: readonly number[], weights: readonly number[]): number {
  return pairwiseSum(values.map((v, i) => v * weights[i]!)) / pairwiseSum(weights);
}

/**
 * sklearn `_nanaverage`: NaN for no values or only NaNs; otherwise
 * `np.nanmean` (NaN read as 0 in place, divided by the non-NaN count) without
 * weights, or `np.average` over the non-NaN entries with weights, falling back
 * to their plain mean when those weights sum to 0.
 */
export function numpyNanAverage(values: readonly number[], weights?: readonly number[]): number {
  const keep = values.map((v) => !Number.isNaN(v));
  const count = keep.filter(Boolean).length;
  if (count === 0) return Number.NaN;
  if (weights === undefined) return pairwiseSum(values.map((v, i) => (keep[i] ? v : 0))) / count;
  const v = values.filter((_, i) => keep[i]);
  const w = weights.filter((_, i) => keep[i]);
  return pairwiseSum(w) === 0 ? numpyMean(v) : numpyWeightedAverage(v, w);
}
