import { isActive, snap, stepOf, type CategoricalChoice, type ParamSpec, type Params } from '../search_space';
import type { Rng } from '../rng';
import type { SampleContext, Sampler } from './sampler';

/** One value of `spec` drawn from its prior: uniform, log-uniform, or uniform over a grid/choices. */
export function sampleFromPrior(spec: ParamSpec, rng: Rng): CategoricalChoice {
  if (spec.type === 'categorical') return spec.choices[rng.int(spec.choices.length)]!;
  const step = stepOf(spec);
  if (spec.log) {
    // Like Optuna: for a stepped (int) log parameter, widen by half a step so the end values keep their share.
    const half = step !== undefined ? step / 2 : 0;
    const x = Math.exp(rng.uniform(Math.log(spec.low - half), Math.log(spec.high + half)));
    return snap(spec, x);
  }
  if (step !== undefined) {
    const n = Math.floor((spec.high - spec.low) / step + 1e-9) + 1;
    return snap(spec, spec.low + rng.int(n) * step);
  }
  return rng.uniform(spec.low, spec.high);
}

/** Samples every active parameter from its prior, in declaration order. */
export class RandomSampler implements Sampler {
  readonly name = 'random';

  sample({ space, rng }: SampleContext): Params {
    const params: Params = {};
    for (const [name, spec] of Object.entries(space)) {
      if (isActive(spec, params)) params[name] = sampleFromPrior(spec, rng);
    }
    return params;
  }
}
