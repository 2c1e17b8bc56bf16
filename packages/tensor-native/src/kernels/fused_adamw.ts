// AdamW over every parameter in one kernel call: inputs p0, g0, m0, v0, p1, …; outputs new
// p, m, v per parameter in that order. tfjs's optimizers run ~10 kernels per parameter.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, requireFloatWasm } from '../wasm_heap';

import { ADAMW_KERNEL, type AdamWKernelAttrs } from '@attn/tensor';

/** Kernel name and attrs (defined once, in @attn/tensor, whose adamwUpdate dispatches to it). */
export { ADAMW_KERNEL };
export type { AdamWKernelAttrs };

export function nativeAdamW(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as AdamWKernelAttrs;
    const named = inputs as Record<string, tf.TensorInfo>;
    const all = Array.from({ length: a.count }, (_, i) => ['p', 'g', 'm', 'v'].map((k) => named[`${k}${i}`]!));
    requireFloatWasm(backend, all.flat(), ADAMW_KERNEL);
    const outs = all.map(([p]) => [0, 1, 2].map(() => heapOutput(backend, [...p!.shape])));
    // Offsets only after the last heapOutput: allocation may replace the heap's buffer.
    const table = new Float64Array(a.count * 9);
    all.forEach((ins, i) => {
      const row = [...ins, ...outs[i]!].map((t) => heapOffset(backend, t));
      table.set([...row, ins[0]!.shape.reduce((x, d) => x * d, 1), a.weightDecay[i] ?? 0], i * 9);
    });
    addon.adamw(heapBuffer(backend), table, a.lr, a.beta1, a.beta2, a.eps, a.step, a.gradScale ?? 1);
    return outs.flat();
  };
}
