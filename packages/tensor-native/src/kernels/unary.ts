// Exp, Erf and Tanh with vectorised polynomials over the threads (softmax numerators, GELU's erf, the pooler's tanh).
// Erf uses the Abramowitz–Stegun formula tfjs's own kernels use, so results match them; Tanh is Cephes' tanhf.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

export const NATIVE_UNARY_MIN_SIZE = 16384;
export const UNARY_OPS = { Exp: 0, Erf: 1, Tanh: 3 } as const;
// Stock wasm's tanh is libm's per element (~10 ns each here: 86 µs for a [32, 256] pooler output), so the native
// call (~3 µs) pays off from a thousand elements; Exp and Erf are cheaper in stock and keep the larger floor.
const MIN_SIZE: Partial<Record<UnaryKernelName, number>> = { Tanh: 1024 };
export type UnaryKernelName = keyof typeof UNARY_OPS;

export function nativeUnary(kernelName: UnaryKernelName) {
  return (addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc =>
    (args) => {
      const { inputs, backend } = args;
      const x = inputs.x as tf.TensorInfo;
      const size = x.shape.reduce((p, d) => p * d, 1);
      if (!isWasmBackend(backend) || x.dtype !== 'float32' || size < (MIN_SIZE[kernelName] ?? NATIVE_UNARY_MIN_SIZE)) return stock(args);
      const out = heapOutput(backend, [...x.shape]);
      addon.unary(heapBuffer(backend), UNARY_OPS[kernelName], heapOffset(backend, x), heapOffset(backend, out), size);
      return out;
    };
}
