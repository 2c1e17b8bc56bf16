import { PruningCallback } from '@attn/trainer';
import { currentTrial, type ProcessTrial } from '@attn/tune';

/**
 * The `train` run that `tune` started as one trial of a study (a child process; see @attn/tune's
 * processObjective): its PruningCallback reports the dev metric after every epoch and stops
 * training when the study prunes; finish() tells the study how the run ended.
 */
export class StudyTrial {
  readonly callback: PruningCallback;

  constructor(readonly trial: ProcessTrial, metric: string) {
    this.callback = new PruningCallback(trial, { metric, stepUnit: 'epoch' });
  }

  /** The study stopped this trial at its last evaluation: the app should not save or report further. */
  get pruned(): boolean {
    return this.callback.pruned;
  }

  /** Tells the study this run stopped as it was told; the line to print. */
  endPruned(epoch: number): string {
    this.trial.pruned();
    return `pruned by the study after epoch ${Math.round(epoch)} (dev ${this.callback.opts.metric} ${this.callback.lastValue}); not saved`;
  }

  /**
   * After training: when the study pruned this trial, releases `model`, tells the study and prints why, and returns true
   * (the app returns without saving or reporting); false when the run is to be finished as usual.
   */
  stopIfPruned(model: { dispose(): void }, epoch: number, print: (line: string) => void): boolean {
    if (!this.pruned) return false;
    model.dispose();
    print(this.endPruned(epoch));
    return true;
  }

  /** Pruned, or complete with `value` (the final dev metric; NaN makes the trial failed). */
  finish(value: number | undefined): void {
    if (this.pruned) this.trial.pruned();
    else if (value !== undefined) this.trial.complete(value);
  }
}

/** The trial this process runs for `tune`, reporting `metric` (as the evaluation logs it: accuracy, f1), or undefined outside a study. */
export function studyTrial(metric: string): StudyTrial | undefined {
  const trial = currentTrial();
  return trial ? new StudyTrial(trial, metric) : undefined;
}
