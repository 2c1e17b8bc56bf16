// tf.fused.matMul (_FusedMatMul): the native matmul, then bias and ReLU in place on its output.
// Stock wasm returns wrong values for a bias with batch > 1 (off by 0.5–9 on these machines);
// the native path covers every batch shape with linear or relu activation.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, isWasmBackend } from '../wasm_heap';
import { nativeMatMul, planBatches } from './batch_mat_mul';
import { broadcastLayout } from './binary';

const ADD = 0;
const RELU = 2;

export function nativeFusedMatMul(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const bias = inputs.bias as tf.TensorInfo | undefined;
    const activation = (attrs?.activation as string | undefined) ?? 'linear';
    if (!isWasmBackend(backend) || inputs.preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) {
      return stock(args);
    }
    if (bias && bias.dtype !== 'float32') return stock(args);
    // Whether the bias broadcast is one the native add takes depends only on the output shape.
    const ar = a.shape.length;
    const br = b.shape.length;
    const m = attrs?.transposeA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
    const n = attrs?.transposeB ? b.shape[br - 2]! : b.shape[br - 1]!;
    const outShape = [...planBatches(a.shape.slice(0, -2), b.shape.slice(0, -2)).outBatchShape, m, n];
    const layout = bias ? broadcastLayout(outShape, bias.shape) : null;
    if (bias && !layout) return stock(args);
    const out = nativeMatMul(addon, backend, a, b, !!attrs?.transposeA, !!attrs?.transposeB);
    if (!out) return stock(args);
    const size = out.shape.reduce((p, d) => p * d, 1);
    if (size === 0) return out;
    const heap = heapBuffer(backend);
    const o = heapOffset(backend, out);
    if (bias && layout) addon.binary(heap, ADD, o, heapOffset(backend, bias), o, layout.outer, layout.inner, layout.mode);
    if (activation === 'relu') addon.unary(heap, RELU, o, o, size);
    return out;
  };
}
