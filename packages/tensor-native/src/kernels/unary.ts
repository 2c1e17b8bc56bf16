// Exp and Erf with vectorised polynomials over the threads (softmax numerators, GELU's erf).
// Erf uses the Abramowitz–Stegun formula tfjs's own kernels use, so results match them.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

export const NATIVE_UNARY_MIN_SIZE = 16384;
export const UNARY_OPS = { Exp: 0, Erf: 1 } as const;
export type UnaryKernelName = keyof typeof UNARY_OPS;

export function nativeUnary(kernelName: UnaryKernelName) {
  return (addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc =>
    (args) => {
      const { inputs, backend } = args;
      const x = inputs.x as tf.TensorInfo;
      const size = x.shape.reduce((p, d) => p * d, 1);
      if (!isWasmBackend(backend) || x.dtype !== 'float32' || size < NATIVE_UNARY_MIN_SIZE) return stock(args);
      const out = heapOutput(backend, [...x.shape]);
      addon.unary(heapBuffer(backend), UNARY_OPS[kernelName], heapOffset(backend, x), heapOffset(backend, out), size);
      return out;
    };
}
