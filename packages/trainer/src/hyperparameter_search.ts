// HF Trainer.hyperparameter_search, on @attn/tune: each trial builds a fresh model and trainer from
// its parameters, trains with a PruningCallback, and is scored by its last evaluation's metric.
import { Study, TrialPruned, type Direction, type FrozenTrial, type Params, type Pruner, type Sampler, type SearchSpace, type Trial } from '@attn/tune';
import { PruningCallback } from './callbacks/pruning_callback';
import type { TrainerCallback } from './callbacks/callback';
import type { ParameterModel } from './trainable_model';

/** What a trial needs from its trainer; every Trainer<T, I, O> is one. */
export interface TrialTrainer {
  readonly model: ParameterModel;
  addCallback(cb: TrainerCallback): void;
  train(): Promise<unknown>;
  evaluate(): Promise<Record<string, number>>;
  dispose(): void;
}

export interface HyperparameterSearchOptions {
  space: SearchSpace;
  /** Builds the trainer of one trial (a fresh model; its args from the params). It is disposed after the trial with its model. */
  trainerInit: (params: Params, trial: Trial) => TrialTrainer | Promise<TrialTrainer>;
  /** Default: 'minimize' for a loss, else 'maximize'. */
  direction?: Direction;
  /** The evaluation metric to optimize; default the trainer's metricForBestModel, else "loss". */
  metric?: string;
  nTrials?: number;
  timeoutMs?: number;
  sampler?: Sampler | string;
  pruner?: Pruner | string;
  seed?: number;
  /** JSONL journal: a killed search resumes from it. */
  journal?: string;
  onTrialEnd?: (trial: FrozenTrial, study: Study) => void;
}

export interface HyperparameterSearchResult {
  study: Study;
  bestTrial?: FrozenTrial;
  bestParams?: Params;
  bestValue?: number;
}

export async function hyperparameterSearch(options: HyperparameterSearchOptions): Promise<HyperparameterSearchResult> {
  const metric = options.metric;
  const direction = options.direction ?? (metric === undefined || /(^|_)loss$/.test(metric) ? 'minimize' : 'maximize');
  const study = Study.open({ space: options.space, direction, sampler: options.sampler, pruner: options.pruner, seed: options.seed, journal: options.journal });
  await study.optimize(
    async (trial) => {
      const trainer = await options.trainerInit({ ...trial.params }, trial);
      const callback = new PruningCallback(trial, { metric });
      trainer.addCallback(callback);
      try {
        await trainer.train();
        if (callback.pruned) throw new TrialPruned();
        if (callback.lastValue === undefined) {
          // No evaluation during training: score the trained model once.
          await trainer.evaluate();
          if (callback.pruned) throw new TrialPruned();
        }
        return callback.lastValue!;
      } finally {
        trainer.dispose();
        (trainer.model as { dispose?: () => void }).dispose?.();
      }
    },
    { nTrials: options.nTrials, timeoutMs: options.timeoutMs, onTrialEnd: options.onTrialEnd },
  );
  return { study, bestTrial: study.bestTrial, bestParams: study.bestParams, bestValue: study.bestValue };
}
