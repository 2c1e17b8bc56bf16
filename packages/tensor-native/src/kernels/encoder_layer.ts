// A whole post-LN encoder layer in one native call (native/src/encoder_layer.c), zero-copy on the wasm heap:
// only the output is allocated here; q, k, v, the context and the FFN activations stay in the addon's scratch.
import type { tf } from '@attn/tensor';
import { ENCODER_LAYER_KERNEL, type EncoderLayerKernelAttrs } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { WasmHeapError, heapBuffer, heapOffset, heapOutput, requireFloatWasm } from '../wasm_heap';

/** Kernel name (spelled once, in @attn/tensor, whose encoderLayerInference launches it). */
export { ENCODER_LAYER_KERNEL };

/** The addon entry (native/src/encoder_layer.h): offsets Float64Array[19] in bytes, dims Float64Array[9] (the last: flags, 1 skip padded rows, 2 first rows only). */
type EncoderLayerEntry = (
  heap: ArrayBuffer,
  offsets: Float64Array,
  dims: Float64Array,
  int8?: Array<ArrayBuffer | null> | null,
  packed?: Array<ArrayBuffer | null>,
) => void;

// Order of the addon's offsets table; the mask sits at index 1 and the output last.
const WEIGHTS = ['wq', 'bq', 'wk', 'bk', 'wv', 'bv', 'wo', 'bo', 'ln1Gamma', 'ln1Beta', 'w1', 'b1', 'w2', 'b2', 'ln2Gamma', 'ln2Beta'] as const;
// The six projections, in the addon's int8 / packed order.
const PROJECTIONS = ['wq', 'wk', 'wv', 'wo', 'w1', 'w2'] as const;

/**
 * Whether eval-mode layers read their float weights packed once (default on): ONNX Runtime packs a constant weight at
 * session creation, and re-packing BERT-base's weights on every call cost 5-15% of the layer's GEMM time (AMD EPYC
 * Zen 5, 406 x 768 x 3072). The packed copy lives outside the wasm heap as long as the weight's data does, so a float
 * model holds its projection weights twice; ATTN_PACKED_WEIGHTS=0 turns it off.
 */
export function packedWeightsEnabled(): boolean {
  return !(typeof process !== 'undefined' && process.env?.ATTN_PACKED_WEIGHTS === '0');
}

export function nativeEncoderLayer(addon: NativeAddon): tf.KernelFunc {
  const entry = (addon as NativeAddon & { encoderLayer?: EncoderLayerEntry }).encoderLayer;
  // Packed weights by tensor data: tfjs never changes a data id's values (Variable.assign and every attn optimizer
  // give the variable a new data id), so a pack stays valid for its data id's life and goes with it.
  const packs = new WeakMap<object, ArrayBuffer>();
  const usePacks = !!addon.gemmPack && packedWeightsEnabled();
  return ({ inputs, backend, attrs }) => {
    if (!entry) throw new WasmHeapError(`${ENCODER_LAYER_KERNEL}: the loaded addon predates encoderLayer; rebuild it (node packages/tensor-native/scripts/build-addon.mjs).`);
    const t = inputs as Record<string, tf.TensorInfo | undefined>;
    const x = t.x!;
    const weights = WEIGHTS.map((name) => {
      const w = t[name];
      if (!w) throw new WasmHeapError(`${ENCODER_LAYER_KERNEL}: input ${name} is missing.`);
      return w;
    });
    requireFloatWasm(backend, t.mask ? [x, t.mask, ...weights] : [x, ...weights], ENCODER_LAYER_KERNEL);
    if (x.shape.length !== 3) throw new WasmHeapError(`${ENCODER_LAYER_KERNEL}: x must be [batch, seq, hidden], got [${x.shape}].`);
    const [batch, seq, hidden] = x.shape as [number, number, number];
    const a = attrs as unknown as EncoderLayerKernelAttrs;
    // Int8 projections: packed once per QuantizedWeight (shared with AttnInt8Linear's cache); their weight inputs are placeholders.
    const int8 = a.int8?.map((q) => {
      if (!q) return null;
      if (!addon.int8Pack) throw new WasmHeapError(`${ENCODER_LAYER_KERNEL}: the loaded addon predates int8; rebuild it.`);
      return q.prepare('native-int8', () => addon.int8Pack!(q.values, q.scales, q.outFeatures, q.inFeatures));
    });
    const inter = a.int8?.[4]?.outFeatures ?? t.w1!.shape[1] ?? 0;
    const y = heapOutput(backend, [batch, seq, hidden]);
    // Offsets only after the last allocation (it may grow and replace the heap's buffer).
    const offsets = new Float64Array(19);
    offsets[0] = heapOffset(backend, x);
    offsets[1] = t.mask ? heapOffset(backend, t.mask) : -1;
    weights.forEach((w, i) => (offsets[2 + i] = heapOffset(backend, w)));
    offsets[18] = heapOffset(backend, y);
    const dims = Float64Array.of(batch, seq, hidden, a.numHeads, inter, a.activation, a.eps1, a.eps2, (a.skipPadded ? 1 : 0) | (a.firstRowsOnly ? 2 : 0));
    const heap = heapBuffer(backend);
    const packed = usePacks
      ? PROJECTIONS.map((name, i) => {
          if (int8?.[i]) return null;
          const w = t[name]!;
          let p = packs.get(w.dataId);
          if (!p) {
            const [k, n] = w.shape as [number, number];
            p = addon.gemmPack!(heap, offsets[2 + WEIGHTS.indexOf(name)]!, k, n);
            packs.set(w.dataId, p);
          }
          return p;
        })
      : undefined;
    if (packed) entry(heap, offsets, dims, int8 ?? null, packed);
    else if (int8) entry(heap, offsets, dims, int8);
    else entry(heap, offsets, dims);
    return y;
  };
}
