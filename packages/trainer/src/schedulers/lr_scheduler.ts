import type { Optimizer } from '../optimizers/optimizer';

/** Multiplier of the initial learning rate after `step` scheduler steps (torch LambdaLR's lr_lambda). */
export type LrLambda = (step: number) => number;

export interface SchedulerStateDict {
  type: string;
  lastStep: number;
}

/**
 * torch's LambdaLR: after k calls to step(), every param group's lr = initialLr · lambda(k).
 * Constructing it sets lr = initialLr · lambda(0), so with warmup the first update uses lr 0,
 * as HF Trainer's does.
 */
export class LambdaScheduler {
  private lastStep = 0;

  constructor(
    readonly type: string,
    readonly optimizer: Optimizer,
    readonly lambda: LrLambda,
  ) {
    // torch: param_group.setdefault('initial_lr', lr)
    for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    this.apply();
  }

  step(): void {
    this.lastStep += 1;
    this.apply();
  }

  /** The learning rate of each param group now (the one the next update uses). */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** lr of the first param group after `step` steps, without changing anything. */
  lrAt(step: number): number {
    const g = this.optimizer.paramGroups[0];
    return g ? (g.initialLr ?? g.lr) * this.lambda(step) : 0;
  }

  stateDict(): SchedulerStateDict {
    return { type: this.type, lastStep: this.lastStep };
  }

  loadStateDict(state: SchedulerStateDict): void {
    this.lastStep = state.lastStep;
    this.apply();
  }

  private apply(): void {
    const mult = this.lambda(this.lastStep);
    for (const g of this.optimizer.paramGroups) g.lr = (g.initialLr ?? g.lr) * mult;
  }
}
