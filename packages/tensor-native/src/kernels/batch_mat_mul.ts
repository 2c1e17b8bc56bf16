// BatchMatMul for the wasm backend on the native GEMM. Stock wasm takes its fast path only
// for plain 2-D operands; transposes and batches fall to a ~1 GFLOP/s loop. Here every
// combination packs into the same micro-kernel, and batch dims broadcast as in NumPy.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

type TensorInfo = tf.TensorInfo;


export interface BatchPlan {
  /** Broadcast batch shape of the output. */
  outBatchShape: number[];
  batch: number;
  batchA: number;
  batchB: number;
  /** Per-output-batch input batch index; null when batches pair 1:1 or an operand has a batch of 1. */
  aIndex: Int32Array | null;
  bIndex: Int32Array | null;
}

export class MatMulShapeError extends Error {
  override name = 'MatMulShapeError';
}

const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);

/** Broadcasts batch dims right-aligned, as NumPy and TensorFlow do. */
export function planBatches(aBatchShape: number[], bBatchShape: number[]): BatchPlan {
  const rank = Math.max(aBatchShape.length, bBatchShape.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const a = pad(aBatchShape);
  const b = pad(bBatchShape);
  const out = a.map((d, i) => {
    const e = b[i]!;
    if (d !== e && d !== 1 && e !== 1) {
      throw new MatMulShapeError(
        `BatchMatMul: batch dims [${aBatchShape}] and [${bBatchShape}] do not broadcast (dim ${i}: ${d} vs ${e}).`,
      );
    }
    return d === 1 ? e : d;
  });
  const batch = size(out);
  const batchA = size(a);
  const batchB = size(b);
  const indexFor = (s: number[], n: number): Int32Array | null => {
    if (n === batch || n === 1) return null;
    const idx = new Int32Array(batch);
    for (let o = 0; o < batch; o++) {
      let rem = o;
      let flat = 0;
      let stride = 1;
      for (let d = rank - 1; d >= 0; d--) {
        const coord = rem % out[d]!;
        rem = Math.floor(rem / out[d]!);
        if (s[d] !== 1) flat += coord * stride;
        stride *= s[d]!;
      }
      idx[o] = flat;
    }
    return idx;
  };
  return {
    outBatchShape: out.slice(rank - Math.max(aBatchShape.length, bBatchShape.length)),
    batch,
    batchA,
    batchB,
    aIndex: indexFor(a, batchA),
    bIndex: indexFor(b, batchB),
  };
}

/**
 * op(a)·op(b) into a new wasm tensor, or null where the stock kernel should run instead
 * (not wasm, not float32, rank < 2). Small plain 2-D products run here too: stock wasm sends them to XNNPACK,
 * which took 50–290 µs for a classifier head's 32 × 256 · 256 × 2 where this GEMM takes ~5 µs (AMD EPYC, 2026-12-07).
 */
export function nativeMatMul(
  addon: NativeAddon,
  backend: unknown,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | null {
  if (!isWasmBackend(backend) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
    return null;
  }
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = transposeA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const k = transposeA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const kB = transposeB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const n = transposeB ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (k !== kB) {
    throw new MatMulShapeError(
      `BatchMatMul: inner dims ${k} and ${kB} of shapes [${a.shape}] and [${b.shape}] ` +
        `(transposeA=${transposeA}, transposeB=${transposeB}) must match.`,
    );
  }
  const plan = planBatches(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = heapOutput(backend, [...plan.outBatchShape, m, n]);
  if (plan.batch * m * n === 0) return out;
  // Offsets are read after heapOutput: it may have grown (and replaced) the heap.
  addon.gemm(
    heapBuffer(backend),
    heapOffset(backend, a),
    heapOffset(backend, b),
    heapOffset(backend, out),
    plan.batch,
    m,
    n,
    k,
    transposeA ? 1 : 0,
    transposeB ? 1 : 0,
    plan.batchA,
    plan.batchB,
    plan.aIndex,
    plan.bIndex,
  );
  return out;
}

/** Builds the kernel function; `stock` is the original wasm kernel, used for small and non-float32 cases. */
export function nativeBatchMatMul(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const out = nativeMatMul(addon, backend, inputs.a as TensorInfo, inputs.b as TensorInfo, !!attrs?.transposeA, !!attrs?.transposeB);
    return out ?? stock(args);
  };
}
