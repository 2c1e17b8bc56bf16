// Kept for compatibility: @attn/tensor's layerNorm itself now runs the fused native kernels
// where they are registered for the active backend, and its composed op everywhere else.
import { layerNorm, tf } from '@attn/tensor';

export class LayerNormShapeError extends Error {
  override name = 'LayerNormShapeError';
}

/**
 * LayerNorm over the last axis, biased variance, eps inside the sqrt (BERT: 1e-12);
 * gamma and beta must be [hidden]. The same op as @attn/tensor's layerNorm.
 */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  const hidden = x.shape[x.shape.length - 1];
  if (gamma.shape.length !== 1 || beta.shape.length !== 1 || gamma.shape[0] !== hidden || beta.shape[0] !== hidden) {
    throw new LayerNormShapeError(
      `fusedLayerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must both be [${hidden}], the last dim of x [${x.shape}].`,
    );
  }
  return layerNorm(x, gamma, beta, eps);
}
