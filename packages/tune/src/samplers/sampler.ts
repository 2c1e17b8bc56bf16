import type { Direction, FrozenTrial } from '../frozen_trial';
import type { Rng } from '../rng';
import type { Params, SearchSpace } from '../search_space';

export interface SampleContext {
  space: SearchSpace;
  /** Every trial so far, including running ones (their parameters are known, their values not). */
  trials: readonly FrozenTrial[];
  direction: Direction;
  /** This trial's own stream (derived from the study seed and the trial number). */
  rng: Rng;
}

/** Proposes the parameters of the next trial. */
export interface Sampler {
  readonly name: string;
  /** All active parameters of the new trial, or null when the sampler has nothing left (a finished grid). */
  sample(context: SampleContext): Params | null;
}
