// UnsortedSegmentSum: the gradient of an embedding lookup (gather), [tokens, hidden] summed
// into [vocab, hidden]. Threads own disjoint ranges of segments, so there are no write races.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

export function nativeSegmentSum(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const ids = inputs.segmentIds as tf.TensorInfo;
    const numSegments = attrs?.numSegments as number;
    if (
      !isWasmBackend(backend) ||
      x.dtype !== 'float32' ||
      ids.dtype !== 'int32' ||
      ids.shape.length !== 1 ||
      x.shape.length < 1 ||
      ids.shape[0] !== x.shape[0] ||
      !Number.isInteger(numSegments) ||
      numSegments < 0
    ) {
      return stock(args);
    }
    const rows = x.shape[0]!;
    const inner = x.shape.slice(1).reduce((p, d) => p * d, 1);
    const out = heapOutput(backend, [numSegments, ...x.shape.slice(1)]);
    if (numSegments * inner === 0) return out;
    addon.segmentSum(heapBuffer(backend), heapOffset(backend, x), heapOffset(backend, ids), heapOffset(backend, out), rows, inner, numSegments);
    return out;
  };
}
