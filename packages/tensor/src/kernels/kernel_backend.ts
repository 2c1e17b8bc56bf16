import type { tf } from '../tf';

// The slice of the wasm / cpu backend objects our JS kernels use; both are untyped across
// the package boundary, so the shape we rely on is written down once here.
export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export type NumericArray = Float32Array | Int32Array | Uint8Array;

export interface WasmBackendLike {
  readSync(dataId: object): NumericArray;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): NumericArray;
  incRef(dataId: object): void;
}

export interface CpuBackendLike {
  readSync(dataId: object): NumericArray;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: NumericArray): TensorInfo;
}

export function typedArrayFor(dtype: tf.DataType, size: number): NumericArray {
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float32Array(size);
}
