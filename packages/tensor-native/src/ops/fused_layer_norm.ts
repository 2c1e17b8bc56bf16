// LayerNorm over the last axis as one native kernel forward and one backward where they are
// registered for the active backend, and as @attn/tensor's composed op everywhere else.
import { layerNorm, tf } from '@attn/tensor';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from '../kernels/fused_layer_norm';
import { hasFusedKernel } from './has_fused_kernel';

export class LayerNormShapeError extends Error {
  override name = 'LayerNormShapeError';
}

function layerNormNative(eps: number) {
  return tf.customGrad((x, gamma, beta, save) => {
    const [y, mean, rstd] = tf.engine().runKernel(
      LAYER_NORM_KERNEL,
      { x: x as tf.Tensor, gamma: gamma as tf.Tensor, beta: beta as tf.Tensor },
      { eps },
    ) as tf.Tensor[];
    (save as tf.GradSaveFunc)([x as tf.Tensor, gamma as tf.Tensor, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => {
        const [xs, g, m, r] = saved;
        return tf.engine().runKernel(
          LAYER_NORM_GRAD_KERNEL,
          { dy: dy as tf.Tensor, x: xs!, gamma: g!, mean: m!, rstd: r! },
          {},
        ) as tf.Tensor[];
      },
    };
  });
}

/**
 * LayerNorm over the last axis, biased variance, eps inside the sqrt (BERT: 1e-12);
 * gamma and beta are [hidden]. Fused on wasm + native; same values as @attn/tensor's layerNorm.
 */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  const hidden = x.shape[x.shape.length - 1];
  if (gamma.shape.length !== 1 || beta.shape.length !== 1 || gamma.shape[0] !== hidden || beta.shape[0] !== hidden) {
    throw new LayerNormShapeError(
      `fusedLayerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must both be [${hidden}], the last dim of x [${x.shape}].`,
    );
  }
  const fused =
    x.dtype === 'float32' && x.rank >= 1 && hasFusedKernel(LAYER_NORM_KERNEL) && hasFusedKernel(LAYER_NORM_GRAD_KERNEL);
  if (!fused) return layerNorm(x, gamma, beta, eps);
  return layerNormNative(eps)(x, gamma, beta);
}
