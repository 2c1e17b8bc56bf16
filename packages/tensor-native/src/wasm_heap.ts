// Zero-copy access to tensors of the wasm backend: every tensor lives in one WebAssembly
// memory, addressed by a byte offset. Growing that memory replaces its ArrayBuffer (the
// offsets stay valid), so the buffer is fetched again after every allocation.
import type { tf } from '@attn/tensor';

type TensorInfo = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm the native kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}

export class WasmHeapError extends Error {
  override name = 'WasmHeapError';
}

export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  // The threaded wasm build's memory is a SharedArrayBuffer, which the addon does not take.
  return (
    !!b &&
    !!b.wasm &&
    b.wasm.HEAPU8 instanceof Uint8Array &&
    b.wasm.HEAPU8.buffer instanceof ArrayBuffer &&
    !!b.dataIdMap &&
    typeof b.makeOutput === 'function'
  );
}

/** Byte offset of a tensor's data in the wasm memory. */
export function heapOffset(backend: WasmBackendLike, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data || typeof data.memoryOffset !== 'number') {
    throw new WasmHeapError(
      `Tensor of shape [${t.shape}] has no data on the wasm backend (disposed, or made on another backend); ` +
        'native kernels only run on tensors of the active wasm backend.',
    );
  }
  return data.memoryOffset;
}

/** The current wasm memory; call it after the last makeOutput of a kernel, never before. */
export function heapBuffer(backend: WasmBackendLike): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Fused kernels have no stock fallback: they are only registered for wasm and take float32. */
export function requireFloatWasm(backend: unknown, tensors: tf.TensorInfo[], kernel: string): asserts backend is WasmBackendLike {
  if (!isWasmBackend(backend)) throw new WasmHeapError(`${kernel} runs only on the wasm backend.`);
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new WasmHeapError(`${kernel} needs float32 inputs, got ${t.dtype} of shape [${t.shape}].`);
  }
}
