import { tf } from '../tf';

/** y = x · kernel + bias, kernel laid out [in, out]; x is [..., in]. */
export function linear(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inDim = x.shape[x.shape.length - 1]!;
    const outDim = kernel.shape[1]!;
    const x2 = tf.reshape(x, [-1, inDim]);
    let y = tf.matMul(x2, kernel);
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
