import { tf } from '../tf';
import type { CpuBackendLike, NumericArray, TensorInfo } from './kernel_backend';
import { typedArrayFor } from './kernel_backend';
import { wasmHeapArray, wasmOutput } from './wasm_internals';

/**
 * out[segmentIds[i], ...] += x[i, ...] — one pass over the rows, O(|x|) time and one output buffer.
 * (tfjs's cpu kernel loops over every segment and keeps intermediates: tens of GB for a 30k vocab.)
 * Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function segmentSumInto(
  out: NumericArray,
  x: NumericArray,
  segmentIds: NumericArray,
  numSegments: number,
  rowSize: number,
): void {
  out.fill(0);
  const rows = segmentIds.length;
  for (let r = 0; r < rows; r++) {
    const s = segmentIds[r]!;
    if (s < 0 || s >= numSegments) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j]! += x[src + j]!;
  }
}

function outShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): number[] {
  return [numSegments, ...x.shape.slice(segmentIds.shape.length)];
}

function rowSizeOf(x: TensorInfo, segmentIds: TensorInfo): number {
  return x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
}

type SegmentArgs = { inputs: { x: TensorInfo; segmentIds: TensorInfo }; attrs: { numSegments: number } };

export const unsortedSegmentSumWasm: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: (({ inputs, attrs, backend }: SegmentArgs & { backend: object }) => {
    const { x, segmentIds } = inputs;
    const out = wasmOutput(backend, outShape(x, segmentIds, attrs.numSegments), x.dtype);
    // Heap views are taken after the allocation: a memory grow there detaches older views.
    segmentSumInto(
      wasmHeapArray(backend, out),
      wasmHeapArray(backend, x),
      wasmHeapArray(backend, segmentIds),
      attrs.numSegments,
      rowSizeOf(x, segmentIds),
    );
    return out;
  }) as unknown as tf.KernelFunc,
};

export const unsortedSegmentSumCpu: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  kernelFunc: (({ inputs, attrs, backend }: SegmentArgs & { backend: CpuBackendLike }) => {
    const { x, segmentIds } = inputs;
    const shape = outShape(x, segmentIds, attrs.numSegments);
    const values = typedArrayFor(x.dtype, shape.reduce((a, b) => a * b, 1));
    segmentSumInto(
      values,
      backend.readSync(x.dataId),
      backend.readSync(segmentIds.dataId),
      attrs.numSegments,
      rowSizeOf(x, segmentIds),
    );
    return backend.makeTensorInfo(shape, x.dtype, values);
  }) as unknown as tf.KernelFunc,
};
