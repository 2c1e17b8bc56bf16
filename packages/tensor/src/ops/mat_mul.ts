import { tf } from '../tf';

/** Matrix product (batched over leading dims) whose forward and backward stay on fast kernels. */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  return tf.matMul(a, b, transposeA, transposeB);
}
