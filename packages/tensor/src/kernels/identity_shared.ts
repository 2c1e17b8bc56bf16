import type { tf } from '../tf';
import type { TensorInfo } from './kernel_backend';

/**
 * wasm Identity that shares the input's buffer (ref-counted, as wasm's own Reshape does)
 * instead of copying it: the gradient tape clones every tensor it saves through Identity.
 * Safe because no wasm kernel writes into its inputs and variables re-point, never overwrite.
 */
export const identitySharedWasm: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend }: { inputs: { x: TensorInfo }; backend: { incRef(dataId: object): void } }) => {
    const { x } = inputs;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc,
};
