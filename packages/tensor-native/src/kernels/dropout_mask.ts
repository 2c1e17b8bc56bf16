// Dropout keep-masks drawn in C into the wasm heap: the JS loop over millions of floats and the
// copy of its array into the backend were ~13% of a BERT-mini training step.
import { Generator, type tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend, WasmHeapError } from '../wasm_heap';

import { DROPOUT_MASK_KERNEL, type DropoutMaskKernelAttrs } from '@attn/tensor';

/** Kernel name and attrs (defined once, in @attn/tensor, whose dropoutMask dispatches to it). */
export { DROPOUT_MASK_KERNEL };

/** The addon's functions from native/src/dropout_mask_napi.c; an addon built before them lacks them. */
export interface DropoutMaskAddon {
  /** n floats at outOffset: u_i >= threshold ? keep : 0 over the xoshiro128** outputs from state s0..s3. */
  dropoutMask?(heap: ArrayBuffer, outOffset: number, n: number, s0: number, s1: number, s2: number, s3: number, threshold: number, keep: number): void;
  /** The state `steps` outputs after s0..s3 (the jump the kernel uses to split the stream over threads). */
  xoshiroJump?(s0: number, s1: number, s2: number, s3: number, steps: number): number[];
}

export function nativeDropoutMask(native: NativeAddon): tf.KernelFunc {
  const addon = native as NativeAddon & DropoutMaskAddon;
  return ({ backend, attrs }) => {
    const a = attrs as unknown as DropoutMaskKernelAttrs;
    if (!isWasmBackend(backend)) throw new WasmHeapError(`${DROPOUT_MASK_KERNEL} runs only on the wasm backend.`);
    const out = heapOutput(backend, [...a.shape]);
    const n = a.shape.reduce((p, d) => p * d, 1);
    if (n === 0) return out;
    if (addon.dropoutMask) {
      addon.dropoutMask(heapBuffer(backend), heapOffset(backend, out), n, a.state[0]!, a.state[1]!, a.state[2]!, a.state[3]!, a.threshold, a.keep);
    } else {
      // An addon built before dropoutMask existed: the same numbers from JS, written in place.
      const generator = new Generator(1);
      generator.setState(a.state);
      generator.fillKeepMask(new Float32Array(heapBuffer(backend), heapOffset(backend, out), n), a.threshold / 4294967296, a.keep);
    }
    return out;
  };
}
