import { tf } from '../tf';
import { Generator } from './generator';
import { globalGenerator } from './global_generator';

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
  const data = new Float32Array(n);
  new Generator(seed).fillKeepMask(data, rate, 1 / (1 - rate));
  return tf.tensor(data, shape, 'float32');
}
