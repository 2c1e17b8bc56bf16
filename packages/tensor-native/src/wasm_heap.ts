// Zero-copy access to tensors of the wasm backend: every tensor lives in one WebAssembly
// memory, addressed by a byte offset. Growing that memory replaces its ArrayBuffer (the
// offsets stay valid), so the buffer is fetched again after every allocation.
// tfjs-backend-wasm's private members are reached only through @attn/tensor's one adapter.
import type { tf } from '@attn/tensor';
import { isWasmBackendObject, wasmHeap, wasmHeapOffset, wasmOutput } from '@attn/tensor/internal';

type TensorInfo = tf.TensorInfo;

/** A wasm backend object whose private members @attn/tensor's adapter checked (opaque here). */
export type WasmBackendLike = object;

export class WasmHeapError extends Error {
  override name = 'WasmHeapError';
}

/** Whether `backend` is tfjs's wasm backend with a plain heap (the threaded build's SharedArrayBuffer is not taken by the addon). */
export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  return isWasmBackendObject(backend) && wasmHeap(backend) instanceof ArrayBuffer;
}

/** A new float32 tensor on the heap. Take offsets and the buffer only after a kernel's last one: it may grow the heap. */
export function heapOutput(backend: WasmBackendLike, shape: number[]): TensorInfo {
  return wasmOutput(backend, shape, 'float32') as TensorInfo;
}

/** Byte offset of a tensor's data in the wasm memory. */
export function heapOffset(backend: WasmBackendLike, t: TensorInfo): number {
  const offset = wasmHeapOffset(backend, t);
  if (offset === undefined) {
    throw new WasmHeapError(
      `Tensor of shape [${t.shape}] has no data on the wasm backend (disposed, or made on another backend); ` +
        'native kernels only run on tensors of the active wasm backend.',
    );
  }
  return offset;
}

/** The current wasm memory; call it after the last heapOutput of a kernel, never before. */
export function heapBuffer(backend: WasmBackendLike): ArrayBuffer {
  return wasmHeap(backend) as ArrayBuffer;
}

/** Fused kernels have no stock fallback: they are only registered for wasm and take float32. */
export function requireFloatWasm(backend: unknown, tensors: tf.TensorInfo[], kernel: string): asserts backend is WasmBackendLike {
  if (!isWasmBackend(backend)) throw new WasmHeapError(`${kernel} runs only on the wasm backend.`);
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new WasmHeapError(`${kernel} needs float32 inputs, got ${t.dtype} of shape [${t.shape}].`);
  }
}
