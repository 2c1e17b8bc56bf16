// Tiled attention (native/src/flash_attention.c) as @attn/tensor's AttnFlashAttention / AttnFlashAttentionGrad
// kernels: memoryEfficientAttention (the 'memory_efficient' attention implementation) runs them on wasm.
// One call per pass for every batch and head; nothing [seqQ, seqK] is allocated on the heap.
import type { tf } from '@attn/tensor';
import { FLASH_ATTENTION_GRAD_KERNEL, FLASH_ATTENTION_KERNEL, type FlashAttentionKernelAttrs } from '@attn/tensor/internal';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, requireFloatWasm, type WasmBackendLike } from '../wasm_heap';

export { FLASH_ATTENTION_KERNEL, FLASH_ATTENTION_GRAD_KERNEL };

/** Thrown for inputs the kernel cannot take; the message names the kernel and the tensor. */
export class FlashAttentionShapeError extends Error {
  override name = 'FlashAttentionShapeError';
}

// The table layout of flash_attention_napi.c: 11 byte offsets, then sizes and options.
const FIELDS = 25;

interface Dims {
  b: number;
  h: number;
  sq: number;
  sk: number;
  d: number;
}

function dims(kernel: string, q: tf.TensorInfo, k: tf.TensorInfo, v: tf.TensorInfo, mask: tf.TensorInfo | undefined): Dims {
  const ranks = [q, k, v].map((t) => t.shape.length);
  if (ranks.some((r) => r !== 4)) throw new FlashAttentionShapeError(`${kernel}: q, k and v must be [batch, heads, seq, headDim]; got ranks ${ranks.join(', ')}.`);
  const [b, h, sq, d] = q.shape as [number, number, number, number];
  const sk = k.shape[2]!;
  const same = (t: tf.TensorInfo) => t.shape[0] === b && t.shape[1] === h && t.shape[2] === sk && t.shape[3] === d;
  if (!same(k) || !same(v)) {
    throw new FlashAttentionShapeError(`${kernel}: k [${k.shape}] and v [${v.shape}] must both be [${b}, ${h}, seqK, ${d}] for q [${q.shape}].`);
  }
  if (mask) {
    const full = [b, h, sq, sk];
    if (mask.shape.length !== 4 || !mask.shape.every((n, i) => n === 1 || n === full[i])) {
      throw new FlashAttentionShapeError(`${kernel}: mask [${mask.shape}] must be rank 4 with each dim 1 or [${full}]'s.`);
    }
  }
  return { b, h, sq, sk, d };
}

function table(
  backend: WasmBackendLike,
  t: Partial<Record<'q' | 'k' | 'v' | 'mask' | 'out' | 'rowMax' | 'rowSum' | 'dy' | 'dq' | 'dk' | 'dv', tf.TensorInfo>>,
  { b, h, sq, sk, d }: Dims,
  attrs: FlashAttentionKernelAttrs,
): Float64Array {
  const off = (x: tf.TensorInfo | undefined) => (x ? heapOffset(backend, x) : -1);
  const mask = t.mask?.shape ?? [1, 1, 1, 1];
  const row = [
    off(t.q), off(t.k), off(t.v), off(t.mask), off(t.out), off(t.rowMax), off(t.rowSum), off(t.dy), off(t.dq), off(t.dk), off(t.dv),
    b, h, sq, sk, d, ...mask,
    attrs.causal ? 1 : 0, attrs.causalOffset, attrs.scale, attrs.dropoutRate, attrs.seed,
  ];
  if (row.length !== FIELDS) throw new Error(`flash attention table has ${row.length} fields, expected ${FIELDS}`);
  return Float64Array.from(row);
}

export function nativeFlashAttention(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { q, k, v, mask } = inputs as Record<string, tf.TensorInfo | undefined>;
    requireFloatWasm(backend, [q!, k!, v!, ...(mask ? [mask] : [])], FLASH_ATTENTION_KERNEL);
    const dm = dims(FLASH_ATTENTION_KERNEL, q!, k!, v!, mask);
    const out = heapOutput(backend, [...q!.shape]);
    const rowMax = heapOutput(backend, [dm.b, dm.h, dm.sq]);
    const rowSum = heapOutput(backend, [dm.b, dm.h, dm.sq]);
    const t = table(backend, { q, k, v, mask, out, rowMax, rowSum }, dm, attrs as unknown as FlashAttentionKernelAttrs);
    addon.flashAttention(heapBuffer(backend), t);
    return [out, rowMax, rowSum];
  };
}

export function nativeFlashAttentionGrad(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { q, k, v, mask, out, rowMax, rowSum, dy } = inputs as Record<string, tf.TensorInfo | undefined>;
    requireFloatWasm(backend, [q!, k!, v!, out!, rowMax!, rowSum!, dy!, ...(mask ? [mask] : [])], FLASH_ATTENTION_GRAD_KERNEL);
    const dm = dims(FLASH_ATTENTION_GRAD_KERNEL, q!, k!, v!, mask);
    const dq = heapOutput(backend, [...q!.shape]);
    const dk = heapOutput(backend, [...k!.shape]);
    const dv = heapOutput(backend, [...v!.shape]);
    const t = table(backend, { q, k, v, mask, out, rowMax, rowSum, dy, dq, dk, dv }, dm, attrs as unknown as FlashAttentionKernelAttrs);
    addon.flashAttentionGrad(heapBuffer(backend), t);
    return [dq, dk, dv];
  };
}
