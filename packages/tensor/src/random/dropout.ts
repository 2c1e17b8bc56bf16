import { tf } from '../tf';
import { hasFusedKernels } from '../ops/fused_dispatch';
import { Generator } from './generator';
import { globalGenerator } from './global_generator';

/**
 * Kernel that draws a dropout keep-mask where a backend registers it (wasm + @attn/tensor-native):
 * no inputs; attrs DropoutMaskKernelAttrs; one float32 output of `shape`. It must write exactly what
 * `Generator.fillKeepMask` writes from the same state, so a mask never depends on the backend.
 */
export const DROPOUT_MASK_KERNEL = 'AttnDropoutMask';

/** Attributes of DROPOUT_MASK_KERNEL. */
export interface DropoutMaskKernelAttrs {
  shape: number[];
  /** xoshiro128** state words the mask's stream starts from (Generator(seed).getState()). */
  state: number[];
  /** out[i] = u_i >= threshold ? keep : 0 for the stream's uint32 outputs u_i; threshold = rate · 2^32. */
  threshold: number;
  keep: number;
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the rest by 1/(1-rate).
 * The mask comes from `seed` alone (drawn from the global generator when omitted), so the same
 * seed gives the same mask on every backend. Differentiable; the gradient is the same mask.
 */
export function dropout(x: tf.Tensor, rate: number, seed?: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}.`);
  if (rate === 0) return tf.clone(x);
  const s = seed ?? globalGenerator().nextSeed();
  return tf.tidy(() => {
    const mask = dropoutMask(x.shape, rate, s);
    return tf.mul(x, mask);
  });
}

/** The scaled keep-mask (values 0 or 1/(1-rate)) that `dropout` multiplies by. */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const generator = new Generator(seed);
  // Drawn natively where the backend has the kernel: a BERT step draws millions of numbers, and the
  // JS loop plus the copy into the backend took ~13% of a BERT-mini training step.
  if (n > 0 && hasFusedKernels(DROPOUT_MASK_KERNEL)) {
    const attrs: DropoutMaskKernelAttrs = { shape: [...shape], state: generator.getState(), threshold: rate * 4294967296, keep: 1 / (1 - rate) };
    return tf.engine().runKernel(DROPOUT_MASK_KERNEL, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  const data = new Float32Array(n);
  generator.fillKeepMask(data, rate, 1 / (1 - rate));
  return tf.tensor(data, shape, 'float32');
}
