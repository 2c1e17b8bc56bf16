import type { CallbackContext, TrainerCallback } from './callback';
import { evalMetricKey } from '../training_arguments';
import { TrainingArgumentsError } from '../training_error';

/**
 * What a hyperparameter-search trial offers a training run: @attn/tune's Trial (in-process) and
 * its ProcessTrial (a trial in a child process) both fit, so the trainer does not import a sampler.
 */
export interface TrialReporter {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

export interface PruningCallbackOptions {
  /** Metric to report; default args.metricForBestModel, else "loss" (eval_ prefix optional). */
  metric?: string;
  /** The step a value is reported at: the epoch (1, 2, …) or the update. Default: 'epoch' with evalStrategy 'epoch', else 'step'. */
  stepUnit?: 'epoch' | 'step';
}

/**
 * Reports each evaluation's metric to a search trial as an intermediate value and stops training
 * when the trial's pruner says so (Optuna's PyTorch Lightning / HF integrations do the same).
 * The evaluation at the end of training is reported but never pruned: the run has nothing left to
 * save, and a trial stopped there would be recorded as pruned although it trained to the end (it
 * could then never be the study's best). Ray Tune's ASHA completes a trial at max_t the same way.
 */
export class PruningCallback implements TrainerCallback {
  /** The trial was pruned: training stopped at the last evaluation. */
  pruned = false;
  /** The last reported value (the trial's objective when it is not pruned). */
  lastValue?: number;

  constructor(readonly trial: TrialReporter, readonly opts: PruningCallbackOptions = {}) {}

  onEvaluate(ctx: CallbackContext): void {
    const name = this.opts.metric ?? ctx.args.metricForBestModel ?? 'loss';
    const key = evalMetricKey(name);
    const value = ctx.metrics?.[key];
    if (value === undefined) {
      throw new TrainingArgumentsError(`PruningCallback: the metric "${name}" is not among the evaluation's ${Object.keys(ctx.metrics ?? {}).join(', ')}; name one of those.`);
    }
    const unit = this.opts.stepUnit ?? (ctx.args.evalStrategy === 'epoch' ? 'epoch' : 'step');
    const step = unit === 'epoch' ? Math.max(1, Math.round(ctx.state.epoch)) : ctx.state.globalStep;
    this.lastValue = value;
    this.trial.report(value, step);
    const finalEvaluation = ctx.state.maxSteps > 0 && ctx.state.globalStep >= ctx.state.maxSteps;
    if (!finalEvaluation && this.trial.shouldPrune()) {
      this.pruned = true;
      ctx.control.shouldStop = true;
    }
  }
}
