// Optuna's MedianPruner (a PercentilePruner at 50): stop a trial whose best value so far is worse
// than the median of what the completed trials had reported at the same step.
import { lossOf, type Direction, type FrozenTrial } from '../frozen_trial';
import type { Pruner } from './pruner';

export interface MedianPrunerOptions {
  /** No pruning until this many trials have completed. Default 5. */
  nStartupTrials?: number;
  /** No pruning at steps below this. Default 0. */
  nWarmupSteps?: number;
  /** Check every this many steps (counted from nWarmupSteps). Default 1. */
  intervalSteps?: number;
  /** Completed trials that must have reported the step for a decision. Default 1. */
  nMinTrials?: number;
  /** 50 is the median; 25 keeps only the top quarter. Default 50. */
  percentile?: number;
}

/** Linear-interpolated percentile, like numpy.percentile's default. */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export class MedianPruner implements Pruner {
  readonly name = 'median';
  private readonly o: Required<MedianPrunerOptions>;

  constructor(options: MedianPrunerOptions = {}) {
    this.o = { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1, percentile: 50, ...options };
  }

  shouldPrune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean {
    const last = trial.intermediate.at(-1);
    if (!last) return false;
    const completed = trials.filter((t) => t.state === 'complete');
    if (completed.length < this.o.nStartupTrials) return false;
    if (last.step < this.o.nWarmupSteps) return false;
    if ((last.step - this.o.nWarmupSteps) % this.o.intervalSteps !== 0) return false;
    if (Number.isNaN(last.value)) return true;
    // The trial's best so far, as a loss (smaller is better).
    const best = Math.min(...trial.intermediate.filter((v) => !Number.isNaN(v.value)).map((v) => lossOf(v.value, direction)));
    const others = completed
      .map((t) => t.intermediate.find((v) => v.step === last.step)?.value)
      .filter((v): v is number => v !== undefined && !Number.isNaN(v))
      .map((v) => lossOf(v, direction));
    if (others.length < this.o.nMinTrials) return false;
    return best > percentile(others, this.o.percentile);
  }
}
