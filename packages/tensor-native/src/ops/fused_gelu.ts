// GELU that runs as one native kernel forward and one backward where they are registered
// for the active backend, and as @attn/tensor's composed op everywhere else.
import { gelu, tf } from '@attn/tensor';
import { GELU_GRAD_KERNEL, GELU_KERNEL } from '../kernels/fused_gelu';
import { hasFusedKernel } from './has_fused_kernel';

const geluNative = tf.customGrad((x, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  return {
    value: tf.engine().runKernel(GELU_KERNEL, { x: x as tf.Tensor }, {}) as tf.Tensor,
    gradFunc: (dy, saved) => tf.engine().runKernel(GELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x: saved[0]! }, {}) as tf.Tensor,
  };
});

/** GELU, exact erf form 0.5·x·(1 + erf(x/√2)), fused on wasm + native; same values as @attn/tensor's gelu. */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || !hasFusedKernel(GELU_KERNEL) || !hasFusedKernel(GELU_GRAD_KERNEL)) return gelu(x);
  return geluNative(x);
}
