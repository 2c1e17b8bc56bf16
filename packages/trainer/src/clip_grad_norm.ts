import { tf } from '@attn/tensor';
import type { GradientMap } from './optimizers/optimizer';

/**
 * Gradients with fewer elements than this are concatenated and reduced together. A kernel call
 * costs about as much for a bias of 128 floats as for a 64k-float matrix, and a BERT has dozens
 * of small tensors (biases, LayerNorm, attention matrices): BERT-tiny's 41 gradients took 83
 * kernel calls; with the small ones concatenated it is 15.
 */
export const CONCAT_BELOW_ELEMENTS = 1 << 16;

/** Σ g² over every gradient, as a scalar tensor: big tensors one by one, small ones concatenated. */
function sumOfSquares(list: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    // x·x with Multiply rather than Square: same float32 products, and Multiply is the faster kernel
    // on wasm + @attn/tensor-native (2 threads; stock Square is single-threaded).
    const sq = (g: tf.Tensor) => tf.sum(tf.mul(g, g));
    const small = list.filter((g) => g.size < CONCAT_BELOW_ELEMENTS && g.dtype === 'float32');
    const parts = list.filter((g) => !small.includes(g)).map(sq);
    if (small.length === 1) parts.push(sq(small[0]!));
    else if (small.length > 1) parts.push(sq(tf.concat(small.map((g) => tf.reshape(g, [-1])))));
    return (parts.length === 1 ? parts[0]! : tf.addN(parts)) as tf.Scalar;
  });
}

/**
 * torch.nn.utils.clip_grad_norm_ (L2): total = ‖all gradients‖₂; if maxNorm/(total + 1e-6) < 1,
 * every gradient is scaled by that coefficient. Returns the total norm (before clipping) and
 * the clipped gradients; the input tensors are disposed when replaced, so the map stays the
 * single owner of its tensors.
 *
 * The norm is read back once per update (one float): whether to clip is decided on the host, as
 * torch's error_if_nonfinite / HF's grad_norm logging need the value anyway. On wasm the backend
 * is synchronous, so the read is a 4-byte copy, not a pipeline stall.
 */
export function clipGradNorm(grads: GradientMap, maxNorm: number): { totalNorm: number; grads: GradientMap } {
  const { totalNorm, scale: coef } = clipGradNormScale(grads, maxNorm);
  if (coef === 1) return { totalNorm, grads };
  const clipped: GradientMap = new Map();
  for (const [name, g] of grads) {
    clipped.set(name, tf.mul(g, coef));
    g.dispose();
  }
  return { totalNorm, grads: clipped };
}

/**
 * clipGradNorm without the multiply: the total norm and the coefficient clipGradNorm would scale every
 * gradient by (1 when it would not clip). For an optimizer that takes the scale itself
 * (Optimizer.supportsGradScale), which then never writes the clipped gradients out.
 */
export function clipGradNormScale(grads: GradientMap, maxNorm: number): { totalNorm: number; scale: number } {
  const list = [...grads.values()];
  if (list.length === 0) return { totalNorm: 0, scale: 1 };
  const squared = sumOfSquares(list);
  const total = Math.sqrt(squared.dataSync()[0]!);
  squared.dispose();
  const coef = maxNorm / (total + 1e-6);
  return { totalNorm: total, scale: coef >= 1 || !Number.isFinite(coef) ? 1 : coef };
}
