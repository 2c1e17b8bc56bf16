import type { tf } from '../tf';

// Types shared by attn's JS kernels. The wasm backend's private members are reached only through
// wasm_internals.ts; the cpu backend's public ones are written down here.
export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export type NumericArray = Float32Array | Int32Array | Uint8Array;

export interface CpuBackendLike {
  readSync(dataId: object): NumericArray;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: NumericArray): TensorInfo;
}

export function typedArrayFor(dtype: tf.DataType, size: number): NumericArray {
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float32Array(size);
}
