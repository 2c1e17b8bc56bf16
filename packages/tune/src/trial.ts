import type { Params } from './search_space';

/** Thrown by an objective (or the trainer callback) to end a trial that the pruner stopped. */
export class TrialPruned extends Error {
  override name = 'TrialPruned';
  constructor(message = 'trial pruned') {
    super(message);
  }
}

/** The handle an objective receives: its parameters, and a way to report progress and hear prune decisions. */
export class Trial {
  private pruneDecision = false;

  constructor(
    readonly number: number,
    readonly params: Readonly<Params>,
    private readonly onReport: (step: number, value: number) => boolean,
  ) {}

  /** Records an intermediate value (e.g. the dev metric after epoch `step`) and asks the pruner. */
  report(value: number, step: number): void {
    this.pruneDecision = this.onReport(step, value);
  }

  /** Whether the pruner wants the trial stopped after the last report; throw {@link TrialPruned} if so. */
  shouldPrune(): boolean {
    return this.pruneDecision;
  }
}
