import { tf } from '@attn/tensor';
import type { GradientMap } from './optimizers/optimizer';

/**
 * torch.nn.utils.clip_grad_norm_ (L2): total = ‖all gradients‖₂; if maxNorm/(total + 1e-6) < 1,
 * every gradient is scaled by that coefficient. Returns the total norm (before clipping) and
 * the clipped gradients; the input tensors are disposed when replaced, so the map stays the
 * single owner of its tensors.
 */
export function clipGradNorm(grads: GradientMap, maxNorm: number): { totalNorm: number; grads: GradientMap } {
  const list = [...grads.values()];
  if (list.length === 0) return { totalNorm: 0, grads };
  const totalNorm = tf.tidy(() => {
    const squares = list.map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(squares));
  });
  const total = totalNorm.dataSync()[0]!;
  totalNorm.dispose();
  const coef = maxNorm / (total + 1e-6);
  if (coef >= 1 || !Number.isFinite(coef)) return { totalNorm: total, grads };
  const clipped: GradientMap = new Map();
  for (const [name, g] of grads) {
    clipped.set(name, tf.mul(g, coef));
    g.dispose();
  }
  return { totalNorm: total, grads: clipped };
}
