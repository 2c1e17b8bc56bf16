// Sum over leading axes (bias gradients: [tokens, features] → [features]) or trailing
// axes (row sums in LayerNorm and softmax gradients), split over threads, float64 accumulators.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

/** Smaller inputs stay on stock wasm, where one call costs less than a thread wake-up. */
export const NATIVE_SUM_MIN_SIZE = 4096;

/** Normalised, sorted axes; null when they are not a leading prefix or trailing suffix. */
export function sumLayout(shape: number[], axes: number[]): { outer: number; inner: number; trailing: boolean } | null {
  const rank = shape.length;
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
  if (sorted.length === 0 || sorted.some((a) => a < 0 || a >= rank)) return null;
  const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
  const r = sorted.length;
  if (sorted.every((a, i) => a === rank - r + i)) {
    return { outer: size(shape.slice(0, rank - r)), inner: size(shape.slice(rank - r)), trailing: true };
  }
  if (sorted.every((a, i) => a === i)) return { outer: size(shape.slice(0, r)), inner: size(shape.slice(r)), trailing: false };
  return null;
}

export function nativeSum(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const size = x.shape.reduce((p, d) => p * d, 1);
    // Empty inputs stay native: stock wasm leaves their (non-empty) output uninitialised.
    if (!isWasmBackend(backend) || x.dtype !== 'float32' || (size > 0 && size < NATIVE_SUM_MIN_SIZE)) return stock(args);
    const axisAttr = attrs?.axis as number | number[] | undefined;
    const axes = axisAttr == null ? x.shape.map((_, i) => i) : Array.isArray(axisAttr) ? axisAttr : [axisAttr];
    const layout = sumLayout(x.shape, axes);
    if (!layout) return stock(args);
    const rank = x.shape.length;
    const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
    const outShape = attrs?.keepDims
      ? x.shape.map((d, i) => (reduced.has(i) ? 1 : d))
      : x.shape.filter((_, i) => !reduced.has(i));
    const out = heapOutput(backend, outShape);
    addon.sum(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, out), layout.outer, layout.inner, layout.trailing ? 1 : 0);
    return out;
  };
}
