import { tf } from '../tf';

/** GELU, exact erf form: 0.5 x (1 + erf(x / sqrt 2)) — HF "gelu". */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))));
}
