import { tf } from '@attn/tensor';

export interface RotaryEmbeddingConfig {
  /** Rotated width per head (the head dimension for Llama). */
  dim: number;
  /** rope_theta; 10000 in Llama 1/2. */
  base?: number;
}

/**
 * Rotary position embeddings (Su et al. 2021) in HF Llama's layout: the head vector's two halves are the
 * real and imaginary parts (rotate_half), not interleaved pairs. No parameters.
 */
export class RotaryEmbedding {
  readonly invFreq: Float32Array;

  constructor(readonly config: RotaryEmbeddingConfig) {
    const { dim } = config;
    const base = config.base ?? 10000;
    this.invFreq = Float32Array.from({ length: dim / 2 }, (_, i) => 1 / base ** ((2 * i) / dim));
  }

  /** cos and sin [seq, dim] for positions offset..offset+seq-1 (float64 angles, as torch's float32 arange·inv_freq is exact enough here). */
  cosSin(seq: number, offset = 0): { cos: tf.Tensor; sin: tf.Tensor } {
    const { dim } = this.config;
    const half = dim / 2;
    const cos = new Float32Array(seq * dim);
    const sin = new Float32Array(seq * dim);
    for (let p = 0; p < seq; p++) {
      for (let i = 0; i < half; i++) {
        // torch computes the angle in float32: position × inv_freq rounded to float32 before cos/sin.
        const a = Math.fround((p + offset) * this.invFreq[i]!);
        const c = Math.cos(a);
        const s = Math.sin(a);
        cos[p * dim + i] = c;
        cos[p * dim + i + half] = c;
        sin[p * dim + i] = s;
        sin[p * dim + i + half] = s;
      }
    }
    return { cos: tf.tensor2d(cos, [seq, dim]), sin: tf.tensor2d(sin, [seq, dim]) };
  }

  /**
   * cos and sin [batch, 1, seq, dim] for per-row positions [batch, seq] (left-padded batches, a KV cache): the
   * angle position × inv_freq in float32 as torch computes it.
   */
  cosSinAt(positionIds: tf.Tensor): { cos: tf.Tensor; sin: tf.Tensor } {
    return tf.tidy(() => {
      const [b, s] = positionIds.shape as [number, number];
      const half = this.config.dim / 2;
      const angles = tf.mul(tf.reshape(tf.cast(positionIds, 'float32'), [b, 1, s, 1]), tf.tensor4d(this.invFreq, [1, 1, 1, half]));
      const both = tf.concat([angles, angles], -1);
      return { cos: tf.cos(both), sin: tf.sin(both) };
    });
  }

  /** x [batch, heads, seq, dim] rotated by position: x·cos + rotate_half(x)·sin. */
  apply(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const half = this.config.dim / 2;
      const [x1, x2] = tf.split(x, [half, half], -1);
      const rotated = tf.concat([tf.neg(x2!), x1!], -1);
      return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
    });
  }
}
