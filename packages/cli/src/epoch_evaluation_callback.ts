import { appendFileSync } from 'node:fs';
import { EarlyStoppingCallback, type CallbackContext, type TrainerCallback } from '@attn/trainer';

/** One evaluation: when it ran and what `evaluate` returned (`{ epoch, step, exact_match, f1 }` for SQuAD). */
export type EpochEvaluation = { epoch: number; step: number } & Record<string, number>;

export interface EpochEvaluationOptions {
  /** Scores the model as it is now, e.g. `{ exact_match: 71.2, f1: 80.1 }` (logged as eval_exact_match, eval_f1). */
  evaluate: () => Record<string, number>;
  /** Early stopping watches this key (greater is better) and puts the best epoch's weights back (HF load_best_model_at_end). */
  metric: string;
  /** Evaluations without improvement before stopping; 0 = never stop, keep the last epoch. */
  patience: number;
  /** Appends each evaluation here as a JSON line (the run's log.jsonl). */
  logFile?: string;
  /** Called with each evaluation, e.g. to print it. */
  report?: (evaluation: EpochEvaluation) => void;
  /** Told of each evaluation as the Trainer's own would tell them (onEvaluate, eval_* metrics), e.g. tune's PruningCallback. */
  listeners?: TrainerCallback[];
}

/**
 * An evaluation the Trainer cannot run itself (QA is scored per question after post-processing, not
 * per window), after every epoch, with early stopping. It runs on the update that ends an epoch (or
 * training) rather than in onEpochEnd, which comes after the epoch's checkpoint: the checkpoint then
 * holds the evaluation in its log history, and a resumed run continues early stopping from it.
 */
export class EpochEvaluationCallback implements TrainerCallback {
  history: EpochEvaluation[] = [];
  private readonly stopper?: EarlyStoppingCallback;

  constructor(private readonly opts: EpochEvaluationOptions) {
    if (opts.patience > 0) this.stopper = new EarlyStoppingCallback({ patience: opts.patience, metric: opts.metric, greaterIsBetter: true });
  }

  /** The evaluation of the weights the model holds after training: the best epoch's with early stopping, else the last. */
  get final(): EpochEvaluation | undefined {
    const best = this.stopper?.bestStep;
    return (best === undefined ? undefined : this.history.find((h) => h.step === best)) ?? this.history.at(-1);
  }

  onTrainBegin(ctx: CallbackContext): void {
    // A resumed run: the evaluations before its checkpoint are in the trainer state's log history.
    this.history = ctx.state.logHistory
      .filter((e) => typeof e[`eval_${this.opts.metric}`] === 'number')
      .map((e) => {
        const metrics = Object.entries(e).filter(([k]) => k.startsWith('eval_')).map(([k, v]) => [k.slice(5), Number(v)]);
        return { epoch: Number(e.epoch), step: Number(e.step), ...Object.fromEntries(metrics) } as EpochEvaluation;
      });
    this.stopper?.onTrainBegin(ctx);
  }

  onStepEnd(ctx: CallbackContext): void {
    if (!Number.isInteger(ctx.state.epoch) && ctx.state.globalStep < ctx.state.maxSteps) return;
    const scores = this.opts.evaluate();
    const evaluation = { epoch: Number(ctx.state.epoch.toFixed(4)), step: ctx.state.globalStep, ...scores } as EpochEvaluation;
    const logged = Object.fromEntries(Object.entries(scores).map(([k, v]) => [`eval_${k}`, v]));
    this.history.push(evaluation);
    ctx.state.logHistory.push({ ...logged, epoch: evaluation.epoch, step: evaluation.step });
    if (this.opts.logFile) appendFileSync(this.opts.logFile, JSON.stringify({ time: new Date().toISOString(), ...logged, epoch: evaluation.epoch, step: evaluation.step }) + '\n');
    this.opts.report?.(evaluation);
    this.stopper?.onEvaluate({ ...ctx, metrics: logged });
    for (const l of this.opts.listeners ?? []) l.onEvaluate?.({ ...ctx, metrics: logged });
  }

  onTrainEnd(ctx: CallbackContext): void {
    this.stopper?.onTrainEnd(ctx);
  }
}
