import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@attn/tensor';
import type { CallbackContext, TrainerCallback } from './callback';
import { evalMetricKey } from '../training_arguments';
import { TrainingArgumentsError } from '../training_error';
import { checkpointDirName } from '../checkpoint/checkpoint_dirs';
import { loadModelWeightsSync } from '../checkpoint/model_weights_sync';

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (HF early_stopping_patience). Default 1. */
  patience?: number;
  /** Minimum change that counts as an improvement (HF early_stopping_threshold). Default 0. */
  threshold?: number;
  /** Metric to watch; default args.metricForBestModel, else "loss". */
  metric?: string;
  /** Default args.greaterIsBetter, else false for a loss and true otherwise. */
  greaterIsBetter?: boolean;
  /** Put the best evaluation's weights back into the model when training ends. Default true. */
  restoreBest?: boolean;
}

/**
 * Stops training when the watched metric has not improved by more than `threshold` for
 * `patience` evaluations. With restoreBest it keeps an in-memory copy of the weights at the best
 * evaluation (one copy of the parameters) and restores it at the end, so no checkpoint is needed.
 */
export class EarlyStoppingCallback implements TrainerCallback {
  bestMetric?: number;
  bestStep?: number;
  /** Evaluations since the last improvement. */
  wait = 0;
  private snapshot?: Map<string, tf.Tensor>;

  constructor(readonly opts: EarlyStoppingOptions = {}) {
    if (opts.patience !== undefined && !(Number.isInteger(opts.patience) && opts.patience >= 1)) {
      throw new TrainingArgumentsError(`EarlyStoppingCallback: patience must be a positive integer; got ${opts.patience}.`);
    }
  }

  onTrainBegin(ctx?: CallbackContext): void {
    this.bestMetric = undefined;
    this.bestStep = undefined;
    this.wait = 0;
    this.dropSnapshot();
    if (ctx && ctx.state.globalStep > 0) this.replayHistory(ctx);
  }

  /**
   * A resumed run: the evaluations before the checkpoint are in its log history, so best, wait and
   * the best weights (from the best evaluation's checkpoint) continue as if the run never stopped.
   */
  private replayHistory(ctx: CallbackContext): void {
    const key = evalMetricKey(this.metricName(ctx));
    for (const entry of ctx.state.logHistory) {
      const value = entry[key];
      if (typeof value !== 'number') continue;
      if (this.improves(ctx, value)) {
        this.bestMetric = value;
        this.bestStep = Number(entry.step);
        this.wait = 0;
      } else this.wait += 1;
    }
    // The checkpoint was written after the evaluation that ended the run: it stays ended.
    if (this.wait >= (this.opts.patience ?? 1)) ctx.control.shouldStop = true;
    if (!(this.opts.restoreBest ?? true) || this.bestStep === undefined) return;
    if (this.bestStep === ctx.state.globalStep) {
      this.takeSnapshot(ctx);
      return;
    }
    const dir = join(ctx.args.outputDir, checkpointDirName(this.bestStep));
    if (!existsSync(dir)) return; // rotated away: the end keeps the last weights
    // Load the best checkpoint's weights, copy them, and put the resumed weights back.
    const resumed = new Map(ctx.model.namedParameters().map(([n, v]) => [n, tf.clone(v)]));
    try {
      loadModelWeightsSync(ctx.model, dir);
      this.takeSnapshot(ctx);
    } finally {
      for (const [n, v] of ctx.model.namedParameters()) v.assign(resumed.get(n)!);
      resumed.forEach((t) => t.dispose());
    }
  }

  private metricName(ctx: CallbackContext): string {
    return this.opts.metric ?? ctx.args.metricForBestModel ?? 'loss';
  }

  private improves(ctx: CallbackContext, value: number): boolean {
    const name = this.metricName(ctx);
    const greater = this.opts.greaterIsBetter ?? ctx.args.greaterIsBetter ?? !name.endsWith('loss');
    const threshold = this.opts.threshold ?? 0;
    return this.bestMetric === undefined || (greater ? value - this.bestMetric > threshold : this.bestMetric - value > threshold);
  }

  onEvaluate(ctx: CallbackContext): void {
    const key = evalMetricKey(this.metricName(ctx));
    const value = ctx.metrics?.[key];
    if (value === undefined) {
      throw new TrainingArgumentsError(
        `EarlyStoppingCallback watches "${key}" but evaluation returned ${Object.keys(ctx.metrics ?? {}).join(', ')}; set its metric option or TrainingArguments.metricForBestModel to one of those.`,
      );
    }
    if (this.improves(ctx, value)) {
      this.bestMetric = value;
      this.bestStep = ctx.state.globalStep;
      this.wait = 0;
      if (this.opts.restoreBest ?? true) this.takeSnapshot(ctx);
    } else {
      this.wait += 1;
      if (this.wait >= (this.opts.patience ?? 1)) ctx.control.shouldStop = true;
    }
  }

  onTrainEnd(ctx: CallbackContext): void {
    if (!this.snapshot) return;
    for (const [name, v] of ctx.model.namedParameters()) {
      const saved = this.snapshot.get(name);
      if (saved) v.assign(saved);
    }
    this.dropSnapshot();
  }

  private takeSnapshot(ctx: CallbackContext): void {
    this.dropSnapshot();
    this.snapshot = new Map(ctx.model.namedParameters().map(([n, v]) => [n, tf.clone(v)]));
  }

  private dropSnapshot(): void {
    this.snapshot?.forEach((t) => t.dispose());
    this.snapshot = undefined;
  }
}
