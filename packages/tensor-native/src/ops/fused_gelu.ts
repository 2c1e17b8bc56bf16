// Kept for compatibility: @attn/tensor's gelu itself now runs the fused native kernels where
// they are registered for the active backend, and its composed op everywhere else.
import { gelu, tf } from '@attn/tensor';

/** GELU, exact erf form 0.5·x·(1 + erf(x/√2)); the same op as @attn/tensor's gelu. */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  return gelu(x);
}
