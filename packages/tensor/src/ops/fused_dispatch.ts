// The seam between attn's ops and fused kernels: an op runs its fused kernels only when every
// one it needs is registered for the active backend, as tfjs itself dispatches by name.
// ATTN_FUSED=0 (read once) or setFusedKernelsEnabled(false) forces the composed ops, for A/B runs.
import { tf } from '../tf';

let enabled: boolean | undefined;

/** Whether ops may use fused kernels at all (default true; ATTN_FUSED=0 turns it off). */
export function fusedKernelsEnabled(): boolean {
  if (enabled === undefined) {
    const isNode = typeof process !== 'undefined' && !!process.env;
    enabled = !(isNode && process.env.ATTN_FUSED === '0');
  }
  return enabled;
}

/** Turns fused-kernel dispatch on or off for this process (overrides ATTN_FUSED); returns the previous setting. */
export function setFusedKernelsEnabled(on: boolean): boolean {
  const prev = fusedKernelsEnabled();
  enabled = on;
  return prev;
}

/** True when fused dispatch is on and every kernel in `kernelNames` is registered for the active backend. */
export function hasFusedKernels(...kernelNames: string[]): boolean {
  if (!fusedKernelsEnabled()) return false;
  const backend = tf.getBackend();
  return kernelNames.every((name) => !!tf.getKernel(name, backend));
}
