// Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter
// Tuning"; Ray Tune's ASHAScheduler, Optuna's SuccessiveHalvingPruner). Rungs sit at steps
// minResource·η^(s+k). A trial reaching a rung goes on only if its value there is among the best
// 1/η of every trial that has reached that rung so far (running, pruned or complete); no trial waits.
import { lossOf, type Direction, type FrozenTrial } from '../frozen_trial';
import type { Pruner } from './pruner';

export interface AshaPrunerOptions {
  /** The first rung's step (Ray's grace_period). Default 1. */
  minResource?: number;
  /** η: each rung keeps 1/η of the trials. Default 3 (fine-tuning runs few epochs; Optuna/Ray use 4). */
  reductionFactor?: number;
  /** s: the first rung is at minResource·η^s. Default 0. */
  minEarlyStoppingRate?: number;
}

export class AshaPruner implements Pruner {
  readonly name = 'asha';
  private readonly o: Required<AshaPrunerOptions>;

  constructor(options: AshaPrunerOptions = {}) {
    this.o = { minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0, ...options };
    if (!(this.o.reductionFactor >= 2)) throw new RangeError(`reductionFactor: expected >= 2, found ${this.o.reductionFactor}`);
    if (!(this.o.minResource > 0)) throw new RangeError(`minResource: expected > 0, found ${this.o.minResource}`);
  }

  /** The rung steps up to `maxStep`. */
  rungs(maxStep: number): number[] {
    const out: number[] = [];
    for (let k = 0; ; k++) {
      const r = this.o.minResource * this.o.reductionFactor ** (this.o.minEarlyStoppingRate + k);
      if (r > maxStep) return out;
      out.push(r);
    }
  }

  shouldPrune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean {
    const last = trial.intermediate.at(-1);
    if (!last) return false;
    if (Number.isNaN(last.value)) return true;
    if (!this.rungs(last.step).includes(last.step)) return false;
    const competing = trials
      .map((t) => (t.number === trial.number ? last.value : t.intermediate.find((v) => v.step === last.step)?.value))
      .filter((v): v is number => v !== undefined && !Number.isNaN(v))
      .map((v) => lossOf(v, direction))
      .sort((a, b) => a - b);
    // Optuna's rule: promotable if at least as good as the (⌊n/η⌋)-th best; the best one alone until η have arrived.
    const idx = Math.max(0, Math.floor(competing.length / this.o.reductionFactor) - 1);
    return lossOf(last.value, direction) > competing[idx]!;
  }
}
