import type { Direction, FrozenTrial } from '../frozen_trial';

/** Decides, after a trial reports an intermediate value, whether to stop it early. */
export interface Pruner {
  readonly name: string;
  /** `trial` has just reported its latest intermediate value; `trials` is the whole study (it included). */
  shouldPrune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean;
}

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = 'none';
  shouldPrune(): boolean {
    return false;
  }
}
