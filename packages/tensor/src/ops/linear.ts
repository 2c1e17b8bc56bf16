import { tf } from '../tf';
import { fusedKernelsEnabled } from './fused_dispatch';

/** y = x · kernel + bias, kernel laid out [in, out]; x is [..., in]. */
export function linear(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inDim = x.shape[x.shape.length - 1]!;
    const outDim = kernel.shape[1]!;
    const x2 = tf.reshape(x, [-1, inDim]);
    const y = bias ? productPlusBias(x2, kernel, bias) : tf.matMul(x2, kernel);
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}

// One _FusedMatMul: the bias lands in the product's output (in place with @attn/tensor-native)
// instead of a separate Add pass; same values. Always 2-D, so stock wasm's fused kernel (wrong
// only with a bias and batch > 1) is never given a batch. ATTN_FUSED=0 keeps matMul + add.
function productPlusBias(x2: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  if (fusedKernelsEnabled()) return tf.fused.matMul({ a: x2, b: kernel, bias });
  return tf.add(tf.matMul(x2, kernel), bias);
}
