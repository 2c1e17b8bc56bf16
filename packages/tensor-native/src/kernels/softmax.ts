// Softmax over the last axis (attention probabilities), rows split over threads.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

export const NATIVE_SOFTMAX_MIN_SIZE = 4096;

export function nativeSoftmax(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.logits as tf.TensorInfo;
    const rank = x.shape.length;
    const dim = (attrs?.dim as number | undefined) ?? -1;
    const last = dim === -1 || dim === rank - 1;
    const size = x.shape.reduce((p, d) => p * d, 1);
    if (!isWasmBackend(backend) || x.dtype !== 'float32' || !last || rank === 0 || size < NATIVE_SOFTMAX_MIN_SIZE) {
      return stock(args);
    }
    const cols = x.shape[rank - 1]!;
    const out = heapOutput(backend, [...x.shape]);
    addon.softmax(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), size / cols, cols);
    return out;
  };
}
