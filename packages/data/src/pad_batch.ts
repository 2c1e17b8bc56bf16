import { tf } from '@attn/tensor';

/**
 * The padded length for a batch: the longest row (dynamic padding, not the model's max length),
 * rounded up to a multiple of `padToMultipleOf` when given (kernels like aligned shapes).
 */
export function paddedLength(rows: ReadonlyArray<ArrayLike<number>>, padToMultipleOf?: number): number {
  let longest = 0;
  for (const r of rows) longest = Math.max(longest, r.length);
  if (padToMultipleOf && padToMultipleOf > 1) longest = Math.ceil(longest / padToMultipleOf) * padToMultipleOf;
  return longest;
}

/** Right-pads rows of ints with `padValue` into one int32 tensor of shape [rows, length]. */
export function padToTensor(rows: ReadonlyArray<ArrayLike<number>>, length: number, padValue: number): tf.Tensor2D {
  const out = new Int32Array(rows.length * length).fill(padValue);
  rows.forEach((r, i) => {
    const n = Math.min(r.length, length);
    for (let j = 0; j < n; j++) out[i * length + j] = r[j]!;
  });
  return tf.tensor2d(out, [rows.length, length], 'int32');
}
