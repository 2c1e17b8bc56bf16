// GELU forward and backward as single kernels: tfjs's composed erf form makes 5 passes
// forward and about 10 backward over the FFN activations, the largest tensors of a step.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, requireFloatWasm } from '../wasm_heap';

import { GELU_GRAD_KERNEL, GELU_KERNEL } from '@attn/tensor';

/** Kernel names (spelled once, in @attn/tensor, whose gelu dispatches to them). */
export { GELU_KERNEL, GELU_GRAD_KERNEL };

export function nativeGelu(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    requireFloatWasm(backend, [x], GELU_KERNEL);
    const out = heapOutput(backend, [...x.shape]);
    const n = x.shape.reduce((p, d) => p * d, 1);
    addon.gelu(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), n);
    return out;
  };
}

export function nativeGeluGrad(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const dy = inputs.dy as tf.TensorInfo;
    const x = inputs.x as tf.TensorInfo;
    requireFloatWasm(backend, [dy, x], GELU_GRAD_KERNEL);
    const out = heapOutput(backend, [...x.shape]);
    const n = x.shape.reduce((p, d) => p * d, 1);
    addon.geluGrad(heapBuffer(backend), heapOffset(backend, dy), heapOffset(backend, x), heapOffset(backend, out), n);
    return out;
  };
}
