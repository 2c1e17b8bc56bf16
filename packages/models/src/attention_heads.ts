import { tf } from '@attn/tensor';

/** [batch, seq, heads · headDim] → [batch, heads, seq, headDim] */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [b, s, hd] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, s, heads, hd / heads]), [0, 2, 1, 3]);
}

/** [batch, heads, seq, headDim] → [batch, seq, heads · headDim] */
export function mergeHeads(x: tf.Tensor): tf.Tensor {
  const [b, h, s, d] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, s, h * d]);
}
