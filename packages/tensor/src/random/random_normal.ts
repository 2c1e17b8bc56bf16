import { tf } from '../tf';
import { Generator } from './generator';
import { globalGenerator } from './global_generator';

export interface RandomNormalOptions {
  mean?: number;
  std?: number;
  /** Source of randomness (default: the global generator). */
  rng?: Generator;
  dtype?: 'float32';
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Normal samples drawn in JS from `rng`, so the values are identical on every backend. */
export function randomNormal(shape: number[], opts: RandomNormalOptions = {}): tf.Tensor {
  const { mean = 0, std = 1 } = opts;
  const rng = opts.rng ?? globalGenerator();
  const data = new Float32Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
  return tf.tensor(data, shape, 'float32');
}

/**
 * Normal samples redrawn until within 2 std of the mean (tf/keras `truncated_normal`;
 * BERT's initializer_range 0.02 init uses it).
 */
export function truncatedNormal(shape: number[], opts: RandomNormalOptions = {}): tf.Tensor {
  const { mean = 0, std = 1 } = opts;
  const rng = opts.rng ?? globalGenerator();
  const data = new Float32Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    data[i] = mean + std * z;
  }
  return tf.tensor(data, shape, 'float32');
}

/** Uniform samples in [minval, maxval) drawn from `rng`. */
export function randomUniform(
  shape: number[],
  opts: { minval?: number; maxval?: number; rng?: Generator } = {},
): tf.Tensor {
  const { minval = 0, maxval = 1 } = opts;
  const rng = opts.rng ?? globalGenerator();
  const data = new Float32Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = minval + (maxval - minval) * rng.nextFloat();
  return tf.tensor(data, shape, 'float32');
}
