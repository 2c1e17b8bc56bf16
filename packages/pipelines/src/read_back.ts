// A pipeline's body is written once, as a generator that yields the tensors it needs on the CPU and receives their
// values; readSync drives it with dataSync() (cpu, wasm, webgl in Node or a worker), readAsync with `await data()`.
// WebGPU needs the async driver: its synchronous read goes through a canvas, which is slow on any GPU, and in headless
// Chromium on SwiftShader returns zeros and destroys the device (apps/playground/README.md has the reproduction).
import { tf } from '@attn/tensor';

export type TensorValues = Float32Array | Int32Array | Uint8Array;

/** Yields tensors to read (the generator still owns and disposes them); resumes with their values, in order. */
export type ReadSteps<R> = Generator<tf.Tensor[], R, TensorValues[]>;

/** Runs `steps`, reading each yielded group with dataSync(). */
export function readSync<R>(steps: ReadSteps<R>): R {
  let next = steps.next();
  while (!next.done) {
    let values: TensorValues[];
    try {
      values = next.value.map((t) => t.dataSync() as TensorValues);
    } catch (e) {
      // Lets the generator's finally blocks free what they built.
      steps.return(undefined as R);
      throw e;
    }
    next = steps.next(values);
  }
  return next.value;
}

/** Runs `steps`, reading each yielded group with `await data()`: the only correct read-back on webgpu. */
export async function readAsync<R>(steps: ReadSteps<R>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    let values: TensorValues[];
    try {
      values = (await Promise.all(next.value.map((t) => t.data()))) as TensorValues[];
    } catch (e) {
      steps.return(undefined as R);
      throw e;
    }
    next = steps.next(values);
  }
  return next.value;
}
