// The embeddings' lookups, sums and LayerNorm in one native call (native/src/embeddings.c), zero-copy on the wasm heap.
import type { tf } from '@attn/tensor';
import { EMBEDDINGS_KERNEL } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { WasmHeapError, heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

/** Kernel name (spelled once, in @attn/tensor, whose embeddingsInference launches it). */
export { EMBEDDINGS_KERNEL };

type EmbeddingsEntry = (heap: ArrayBuffer, offsets: Float64Array, dims: Float64Array) => void;

export function nativeEmbeddings(addon: NativeAddon): tf.KernelFunc {
  const entry = (addon as NativeAddon & { embeddings?: EmbeddingsEntry }).embeddings;
  return ({ inputs, backend, attrs }) => {
    if (!entry) throw new WasmHeapError(`${EMBEDDINGS_KERNEL}: the loaded addon predates embeddings; rebuild it (node packages/tensor-native/scripts/build-addon.mjs).`);
    if (!isWasmBackend(backend)) throw new WasmHeapError(`${EMBEDDINGS_KERNEL} runs only on the wasm backend.`);
    const t = inputs as Record<string, tf.TensorInfo | undefined>;
    const { ids, words, positions, gamma, beta } = t;
    if (!ids || !words || !positions || !gamma || !beta) throw new WasmHeapError(`${EMBEDDINGS_KERNEL}: ids, words, positions, gamma and beta are required.`);
    for (const [name, x, dtype] of [
      ['ids', ids, 'int32'], ['positionIds', t.positionIds, 'int32'], ['typeIds', t.typeIds, 'int32'],
      ['words', words, 'float32'], ['positions', positions, 'float32'], ['types', t.types, 'float32'], ['gamma', gamma, 'float32'], ['beta', beta, 'float32'],
    ] as const) {
      if (x && x.dtype !== dtype) throw new WasmHeapError(`${EMBEDDINGS_KERNEL}: ${name} must be ${dtype}, got ${x.dtype}.`);
    }
    const [batch, seq] = ids.shape as [number, number];
    const dim = words.shape[1]!;
    const y = heapOutput(backend, [batch, seq, dim]);
    // Offsets only after the last allocation (it may grow and replace the heap's buffer).
    const at = (x: tf.TensorInfo | undefined) => (x ? heapOffset(backend, x) : -1);
    const offsets = Float64Array.of(at(ids), at(words), at(positions), at(t.positionIds), at(t.types), at(t.typeIds), at(gamma), at(beta), at(y));
    const dims = Float64Array.of(batch, seq, dim, words.shape[0]!, positions.shape[0]!, t.types?.shape[0] ?? 0, (attrs?.eps as number | undefined) ?? 1e-12);
    entry(heapBuffer(backend), offsets, dims);
    return y;
  };
}
