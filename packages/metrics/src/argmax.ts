/**
 * The index of the largest value in each row of a row-major [rows, n] array — logits [N, numLabels]
 * or [N, seq, numLabels] alike — the first one on ties, as numpy's argmax. NaN never wins.
 */
export function argmaxRows(data: ArrayLike<number>, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`argmaxRows: row length must be a positive integer; got ${n}.`);
  if (data.length % n !== 0) throw new RangeError(`argmaxRows: ${data.length} values are not whole rows of ${n}.`);
  const out = new Int32Array(data.length / n);
  for (let r = 0, base = 0; r < out.length; r++, base += n) {
    let best = 0;
    for (let j = 1; j < n; j++) if (data[base + j]! > data[base + best]!) best = j;
    out[r] = best;
  }
  return out;
}
