// The seam between the fused ops and the native kernels: an op takes its fused path only when
// the kernel is registered for the active backend (wasm with the addon), as tfjs dispatches.
import { tf } from '@attn/tensor';

/** True when `kernelName` is registered for the active backend. */
export function hasFusedKernel(kernelName: string): boolean {
  return !!tf.getKernel(kernelName, tf.getBackend());
}
