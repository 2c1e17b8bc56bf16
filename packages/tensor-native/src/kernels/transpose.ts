// Transpose with an identity permutation — tfjs's gather gradient makes one over the whole
// embedding gradient, [30522, hidden] — shares the input's buffer, ref-counted as wasm's own
// Reshape does, instead of copying it. Safe because no wasm kernel writes into its inputs.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { isWasmBackend } from '../wasm_heap';

export function nativeTranspose(_addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const perm = (attrs?.perm as number[] | undefined) ?? [];
    const b = backend as unknown as { incRef?: (dataId: object) => void };
    if (!isWasmBackend(backend) || typeof b.incRef !== 'function' || perm.length !== x.shape.length || !perm.every((p, i) => p === i)) {
      return stock(args);
    }
    b.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
