import { tf } from './tf';

/**
 * Reads the tensors' values with asynchronous reads, which every tfjs backend keeps beside the device copy, so that a
 * later dataSync() (serializeSafetensors, a model's toPretrainedBytes) is served from memory. On webgpu that is what
 * makes a synchronous read work: its own readSync copies through a canvas, which is slow on any GPU and, in headless
 * Chromium on SwiftShader, returns zeros and destroys the device. Values change on every assign, so call it just before
 * the synchronous reads.
 */
export async function prefetchValues(tensors: readonly tf.Tensor[]): Promise<void> {
  await Promise.all(tensors.map((t) => t.data()));
}
