import { tf } from '../tf';

/**
 * Matrix product, batched over leading dims (which must match or be absent on one side).
 *
 * Forward and backward stay on fast kernels: on wasm, attn registers a BatchMatMul kernel
 * (kernels/batch_mat_mul_plain.ts) that turns transposed and batched products — including those
 * tfjs's matMul gradient emits — into plain 2-D XNNPACK products, so no custom gradient is needed.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  // tfjs's own gradient fails for [..., M, K] x [K, N] (it returns a batched db): fold rows first.
  if (b.rank === 2 && a.rank > 2 && !transposeA) {
    return tf.tidy(() => {
      const k = a.shape[a.rank - 1]!;
      const y = tf.matMul(tf.reshape(a, [-1, k]), b, false, transposeB);
      return tf.reshape(y, [...a.shape.slice(0, -1), y.shape[1]!]);
    });
  }
  return tf.matMul(a, b, transposeA, transposeB);
}
