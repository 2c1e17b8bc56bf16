import { tf } from '../tf';
import { Generator } from '../random/generator';

export interface GradientCheckResult {
  /** ⟨analytic gradient, u⟩ per input, u a random unit-variance direction. */
  analytic: number[];
  /** (L(x + h u) − L(x − h u)) / 2h per input. */
  numeric: number[];
  /** |analytic − numeric| / max(|numeric|, 1) per input. */
  relError: number[];
}

/**
 * Central finite differences along one random direction per input: checks a gradient with two
 * extra evaluations per input instead of two per element. `loss` must return a scalar.
 */
export function checkGradients(
  loss: (...inputs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  opts: { step?: number; seed?: number } = {},
): GradientCheckResult {
  const h = opts.step ?? 1e-2;
  const rng = new Generator(opts.seed ?? 0);
  const result: GradientCheckResult = { analytic: [], numeric: [], relError: [] };
  tf.tidy(() => {
    const grads = tf.grads((...xs: tf.Tensor[]) => loss(...xs))(inputs);
    inputs.forEach((x, i) => {
      const u = tf.tensor(Float32Array.from({ length: x.size }, () => rng.normal()), x.shape);
      const shifted = (sign: number) =>
        loss(...inputs.map((y, j) => (j === i ? tf.add(y, tf.mul(u, sign * h)) : y))).dataSync()[0]!;
      const numeric = (shifted(1) - shifted(-1)) / (2 * h);
      const analytic = tf.sum(tf.mul(grads[i]!, u)).dataSync()[0]!;
      result.analytic.push(analytic);
      result.numeric.push(numeric);
      result.relError.push(Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1));
    });
  });
  return result;
}
