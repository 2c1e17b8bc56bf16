// Dynamic int8 Linear on the wasm heap: x and the output are heap tensors, the weight is packed once per
// QuantizedWeight into a plain ArrayBuffer (vpdpbusd panels + scales + column sums, native/src/qgemm.c).
import type { QuantizedWeight, tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, requireFloatWasm } from '../wasm_heap';

import { INT8_LINEAR_KERNEL } from '@attn/tensor';

/** Kernel name (spelled once, in @attn/tensor, whose int8Linear dispatches to it). */
export { INT8_LINEAR_KERNEL };

export function nativeInt8Linear(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tf.TensorInfo;
    const bias = inputs.bias as tf.TensorInfo | undefined;
    requireFloatWasm(backend, bias ? [x, bias] : [x], INT8_LINEAR_KERNEL);
    const weight = (attrs as unknown as { weight: QuantizedWeight }).weight;
    if (!addon.int8Pack || !addon.int8Linear) {
      throw new Error(`${INT8_LINEAR_KERNEL}: this attn_native.node predates int8 (no int8Linear); rebuild it with "pnpm build" in packages/tensor-native.`);
    }
    const [m, k] = x.shape as [number, number];
    if (x.shape.length !== 2 || k !== weight.inFeatures) {
      throw new Error(`${INT8_LINEAR_KERNEL}: x must be [rows, ${weight.inFeatures}], got [${x.shape}].`);
    }
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== weight.outFeatures)) {
      throw new Error(`${INT8_LINEAR_KERNEL}: bias must be [${weight.outFeatures}], got [${bias.shape}].`);
    }
    const packed = weight.prepare('native-int8', () => addon.int8Pack!(weight.values, weight.scales, weight.outFeatures, weight.inFeatures));
    const out = heapOutput(backend, [m, weight.outFeatures]);
    if (m === 0) return out;
    addon.int8Linear(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), bias ? heapOffset(backend, bias) : null, m, packed);
    return out;
  };
}
