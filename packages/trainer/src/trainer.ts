import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { tf, setGlobalSeed } from '@attn/tensor';
import { DataLoader, type Collator, type Dataset } from '@attn/data';
import type { ModelInputs, ModelOutput } from '@attn/models';
import { resolveTrainingArguments, evalMetricKey, TRAINING_ARGUMENT_NAMES, type TrainingArguments, type TrainingArgumentsInput } from './training_arguments';
import { initialTrainerState, type LogEntry, type LossAccumulators, type TrainerState } from './trainer_state';
import type { TrainableModel } from './trainable_model';
import { modelLoss, splitLossResult, type ComputeLoss, type ComputeLossResult } from './compute_loss';
import type { GradientMap, Optimizer } from './optimizers/optimizer';
import { createOptimizer } from './optimizers/registry';
import { weightDecayParamGroups } from './optimizers/param_groups';
import { createScheduler } from './schedulers/registry';
import type { LambdaScheduler } from './schedulers/lr_scheduler';
import { clipGradNorm } from './clip_grad_norm';
import { freshControl, type CallbackContext, type TrainerCallback, type TrainerControl } from './callbacks/callback';
import type { PredictionOutput } from './prediction_output';
import { predictionLoop, type ComputeMetrics, type PredictionLoopOptions } from './prediction_loop';
import { batchSizeOf, checkBatch, disposeBatch, type BatchSource, type InputBatch } from './batch_source';
import { CheckpointError, NonFiniteLossError, TrainingArgumentsError, TrainingError } from './training_error';
import { checkpointDirName, latestCheckpoint, removeStaleStaging, rotateCheckpoints } from './checkpoint/checkpoint_dirs';
import { loadModelWeights, saveModelWeights } from './checkpoint/model_weights';
import { readTrainerCheckpoint, writeTrainerCheckpoint } from './checkpoint/trainer_checkpoint';
import { hyperparameterSearch, type HyperparameterSearchOptions, type HyperparameterSearchResult } from './hyperparameter_search';
import type { Params } from '@attn/tune';

/**
 * T: the dataset's feature type (with a collator); I: the batch type, which is the model's input (a
 * collator's typed batch such as ClassificationBatch fits @attn/models' ModelInputs); O: the model's output.
 */
export interface TrainerOptions<T = unknown, I extends InputBatch = ModelInputs, O extends object = ModelOutput> {
  model: TrainableModel<I, O>;
  args: TrainingArgumentsInput;
  trainDataLoader?: BatchSource<I>;
  /** With a collator instead of trainDataLoader: a shuffled DataLoader (seed = args.seed, batch = perDeviceTrainBatchSize). */
  trainDataset?: Dataset<T>;
  evalDataLoader?: BatchSource<I>;
  evalDataset?: Dataset<T>;
  collator?: Collator<T, I>;
  computeMetrics?: ComputeMetrics;
  callbacks?: TrainerCallback[];
  /** Use this optimizer instead of building one from args (it must cover the trainable parameters). */
  optimizer?: Optimizer;
  /**
   * The loss to train on and report at evaluation, instead of the one model.forward returns (HF's
   * compute_loss; subclasses may override Trainer.computeLoss instead).
   */
  computeLoss?: ComputeLoss<I, O>;
}

export interface TrainOutput {
  globalStep: number;
  trainingLoss: number;
  metrics: Record<string, number>;
}

/**
 * HF-style training loop: AdamW/SGD with a learning-rate schedule, gradient accumulation and
 * clipping, periodic logging / evaluation / checkpoints, callbacks, and exact resume.
 *
 * Tensor ownership: batches from the data loaders are disposed after use; gradients live only
 * within one update; the optimizer owns its slot variables (dispose() frees them).
 */
export class Trainer<T = unknown, I extends InputBatch = ModelInputs, O extends object = ModelOutput> {
  readonly args: TrainingArguments;
  readonly model: TrainableModel<I, O>;
  readonly callbacks: TrainerCallback[];
  state: TrainerState = initialTrainerState();
  control: TrainerControl = freshControl();
  optimizer?: Optimizer;
  scheduler?: LambdaScheduler;
  private readonly trainLoader?: BatchSource<I>;
  private readonly evalLoader?: BatchSource<I>;
  private readonly computeMetrics?: ComputeMetrics;
  private readonly computeLossOption?: ComputeLoss<I, O>;
  private lastSavedCheckpoint?: string;
  private lastSavedStep?: number;
  /** Metrics of the evaluation at the current step, for choosing the best checkpoint. */
  private lastMetrics?: { step: number; metrics: Record<string, number> };

  /** What the trainer was built from: hyperparameterSearch builds each trial's trainer from it. */
  private readonly init: TrainerOptions<T, I, O>;

  constructor(opts: TrainerOptions<T, I, O>) {
    this.init = opts;
    this.args = resolveTrainingArguments(opts.args);
    this.model = opts.model;
    this.callbacks = [...(opts.callbacks ?? [])];
    this.computeMetrics = opts.computeMetrics;
    this.computeLossOption = opts.computeLoss;
    this.optimizer = opts.optimizer;
    this.trainLoader = opts.trainDataLoader ?? this.loaderFrom(opts.trainDataset, opts.collator, this.args.perDeviceTrainBatchSize, true, 'trainDataset');
    this.evalLoader = opts.evalDataLoader ?? this.loaderFrom(opts.evalDataset, opts.collator, this.args.perDeviceEvalBatchSize, false, 'evalDataset');
  }

  private loaderFrom(dataset: Dataset<T> | undefined, collate: Collator<T, I> | undefined, batchSize: number, shuffle: boolean, field: string): BatchSource<I> | undefined {
    if (!dataset) return undefined;
    if (!collate) throw new TrainingArgumentsError(`Trainer: ${field} was given without a collator; pass { collator } or a ready DataLoader.`);
    return new DataLoader(dataset, { batchSize, shuffle, seed: this.args.seed, collate });
  }

  /**
   * HF's trainer.hyperparameter_search: each trial trains `modelInit(params)` with this trainer's
   * data and callbacks; params named like a TrainingArguments field (learningRate, weightDecay,
   * numTrainEpochs, warmupRatio, perDeviceTrainBatchSize with a dataset + collator, …) override its
   * arguments; outputDir gets a trial-<n> folder per trial. See @attn/tune for space, sampler, pruner.
   */
  hyperparameterSearch(
    opts: Omit<HyperparameterSearchOptions, 'trainerInit'> & { modelInit: (params: Params) => TrainableModel<I, O> },
  ): Promise<HyperparameterSearchResult> {
    const { modelInit, ...search } = opts;
    return hyperparameterSearch({
      metric: this.args.metricForBestModel,
      ...search,
      trainerInit: (params, trial) => {
        const overrides = Object.fromEntries(Object.entries(params).filter(([k]) => TRAINING_ARGUMENT_NAMES.includes(k) && k !== 'outputDir'));
        // The same class, so a subclass's computeLoss also trains every trial.
        const TrainerClass = this.constructor as new (init: TrainerOptions<T, I, O>) => Trainer<T, I, O>;
        return new TrainerClass({
          ...this.init,
          model: modelInit(params),
          optimizer: undefined,
          args: { ...this.args, ...overrides, outputDir: join(this.args.outputDir, `trial-${trial.number}`) },
          callbacks: [...this.callbacks],
        });
      },
    });
  }

  addCallback(cb: TrainerCallback): void {
    this.callbacks.push(cb);
  }

  private emit(event: keyof TrainerCallback, extra: Partial<CallbackContext> = {}): void {
    const ctx: CallbackContext = { args: this.args, state: this.state, control: this.control, model: this.model, ...extra };
    for (const cb of this.callbacks) cb[event]?.call(cb, ctx);
  }

  /** The optimizer over the trainable parameters (HF weight-decay groups), built once. */
  private ensureOptimizer(): Optimizer {
    if (this.optimizer) return this.optimizer;
    const params = this.model.trainableParameters();
    if (params.length === 0) {
      throw new TrainingError('The model has no trainable parameters (all frozen); unfreeze some, e.g. freezeStrategy(model, "all-but-head").');
    }
    const groups = weightDecayParamGroups(params, {
      lr: this.args.learningRate,
      weightDecay: this.args.weightDecay,
      noDecay: this.args.weightDecayExcludeBiasAndNorm ? undefined : () => false,
    });
    this.optimizer = createOptimizer(this.args.optim, groups, this.args);
    return this.optimizer;
  }

  private log(entry: LogEntry): void {
    const withStep = { ...entry, epoch: Number(this.state.epoch.toFixed(4)), step: this.state.globalStep };
    this.state.logHistory.push(withStep);
    this.emit('onLog', { logs: withStep });
  }

  /**
   * HF's compute_loss: the scalar loss of one batch (with the model's outputs when returnOutputs), from
   * the computeLoss option if given, else model.forward's own loss. Training differentiates it and
   * evaluation reports it for labelled batches; override it in a subclass for a custom loss (e.g. only
   * at masked positions). It runs inside the gradient tape or tf.tidy: intermediates need no disposal.
   */
  computeLoss(model: TrainableModel<I, O>, inputs: I, returnOutputs = false): ComputeLossResult<O> {
    return (this.computeLossOption ?? modelLoss)(model, inputs, returnOutputs);
  }

  /**
   * Gradients of one micro-batch's loss · scale with respect to the trainable parameters, by
   * parameter name. Returns the unscaled loss value.
   */
  private lossAndGrads(batch: I, scale: number, names: Map<string, string>, vars: tf.Variable[]): { loss: number; grads: GradientMap } {
    const inputs = checkBatch(batch);
    const { value, grads } = tf.variableGrads(() => {
      const { loss } = splitLossResult(this.computeLoss(this.model, inputs, false));
      return scale === 1 ? loss : tf.mul(loss, scale);
    }, vars);
    const loss = value.dataSync()[0]! / scale;
    value.dispose();
    const byName: GradientMap = new Map();
    for (const [varName, g] of Object.entries(grads)) byName.set(names.get(varName)!, g);
    return { loss, grads: byName };
  }

  /**
   * Runs the training loop. `resumeFromCheckpoint`: a checkpoint directory, or true for the newest
   * checkpoint in outputDir; the run then continues with the same data order, learning rates,
   * optimizer moments and dropout stream as if it had never stopped.
   */
  async train(opts: { resumeFromCheckpoint?: string | true } = {}): Promise<TrainOutput> {
    const args = this.args;
    const loader = this.trainLoader;
    if (!loader) throw new TrainingArgumentsError('Trainer.train() needs trainDataLoader (or trainDataset + collator).');
    if (loader.length < 1) throw new TrainingError('The training data loader yields no batches; check the dataset is not empty.');
    if (args.evalStrategy !== 'no' && !this.evalLoader) {
      throw new TrainingArgumentsError(`TrainingArguments.evalStrategy is "${args.evalStrategy}" but the Trainer has no evalDataLoader / evalDataset; pass one or set evalStrategy: 'no'.`);
    }
    await fs.mkdir(args.outputDir, { recursive: true });
    await removeStaleStaging(args.outputDir);

    // HF's set_seed at the start of train(): dropout draws from the global generator.
    setGlobalSeed(args.seed);
    const accum = args.gradientAccumulationSteps;
    const updatesPerEpoch = Math.max(1, Math.ceil(loader.length / accum));
    const maxSteps = args.maxSteps > 0 ? args.maxSteps : Math.ceil(args.numTrainEpochs * updatesPerEpoch);
    const numEpochs = Math.ceil(maxSteps / updatesPerEpoch);
    const warmup = args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(maxSteps * args.warmupRatio);

    const optimizer = this.ensureOptimizer();
    this.scheduler = createScheduler(args.lrSchedulerType, optimizer, {
      numWarmupSteps: warmup,
      numTrainingSteps: maxSteps,
      numCycles: args.lrSchedulerNumCycles,
    });
    this.state = { ...initialTrainerState(), maxSteps, numTrainEpochs: numEpochs };
    this.control = freshControl();

    if (opts.resumeFromCheckpoint !== undefined) {
      const dir = opts.resumeFromCheckpoint === true ? await latestCheckpoint(args.outputDir) : opts.resumeFromCheckpoint;
      if (!dir) throw new CheckpointError(`resumeFromCheckpoint: true but ${args.outputDir} holds no checkpoint-<step> directory.`);
      this.state = await readTrainerCheckpoint(dir, { model: this.model, optimizer, scheduler: this.scheduler });
      this.lastSavedCheckpoint = dir;
      this.state.maxSteps = maxSteps;
      this.state.numTrainEpochs = numEpochs;
    }

    const trainable = this.model.trainableParameters();
    const vars = trainable.map(([, v]) => v);
    const names = new Map(trainable.map(([n, v]) => [v.name, n]));
    this.model.train();
    this.emit('onTrainBegin');

    // Restored from a checkpoint taken between logging steps (see TrainerState.lossAccumulators).
    const restored = this.state.lossAccumulators;
    let logLossSum = restored?.logSum ?? 0;
    let logLossCount = restored?.logCount ?? 0;
    let totalLossSum = restored?.totalSum ?? 0;
    let totalLossCount = restored?.totalCount ?? 0;
    this.lossAccumulators = () => ({ logSum: logLossSum, logCount: logLossCount, totalSum: totalLossSum, totalCount: totalLossCount });
    const started = performance.now();
    // A callback may end a resumed run at once (early stopping decided before the checkpoint).
    let stop = this.state.globalStep >= maxSteps || this.control.shouldStop;

    for (let epoch = this.state.epochIndex; epoch < numEpochs && !stop; epoch++) {
      this.state.epochIndex = epoch;
      loader.setEpoch?.(epoch);
      const total = loader.length;
      const skip = this.state.batchesInEpoch;
      this.emit('onEpochBegin');
      let b = skip;
      let acc: GradientMap | undefined;
      let groupLoss = 0;
      let groupBatches = 0;
      let groupExamples = 0;
      for (const batch of this.iterate(loader, skip)) {
        const groupStart = b - (b % accum);
        const groupSize = Math.min(accum, total - groupStart);
        let loss: number;
        let grads: GradientMap;
        try {
          groupExamples += batchSizeOf(batch);
          ({ loss, grads } = this.lossAndGrads(batch, 1 / groupSize, names, vars));
        } finally {
          disposeBatch(batch);
        }
        if (!Number.isFinite(loss)) {
          grads.forEach((g) => g.dispose());
          acc?.forEach((g) => g.dispose());
          const where = this.lastSavedCheckpoint
            ? `The last good checkpoint is ${this.lastSavedCheckpoint}; resume from it with a lower learningRate or a maxGradNorm.`
            : 'No checkpoint was saved before it; lower learningRate, set maxGradNorm, or check the inputs and labels.';
          throw new NonFiniteLossError(
            `The training loss became ${loss} at update ${this.state.globalStep + 1} (epoch ${epoch}, batch ${b}); training stopped. ${where}`,
            this.state.globalStep + 1,
            this.lastSavedCheckpoint,
          );
        }
        if (!acc) acc = grads;
        else {
          for (const [n, g] of grads) {
            const prev = acc.get(n);
            if (prev) {
              acc.set(n, tf.add(prev, g));
              prev.dispose();
              g.dispose();
            } else acc.set(n, g);
          }
        }
        groupLoss += loss;
        groupBatches += 1;
        b += 1;
        if (b % accum !== 0 && b !== total) continue;

        // One optimizer update.
        let gradNorm: number | undefined;
        if (args.maxGradNorm > 0) {
          const clipped = clipGradNorm(acc, args.maxGradNorm);
          acc = clipped.grads;
          gradNorm = clipped.totalNorm;
        }
        const lr = optimizer.paramGroups[0]?.lr ?? 0;
        optimizer.step(acc);
        acc.forEach((g) => g.dispose());
        acc = undefined;
        this.scheduler.step();
        const stepLoss = groupLoss / groupBatches;
        this.state.globalStep += 1;
        this.state.batchesInEpoch = b;
        this.state.epoch = epoch + b / total;
        this.state.numInputExamples += groupExamples;
        logLossSum += stepLoss;
        logLossCount += 1;
        totalLossSum += stepLoss;
        totalLossCount += 1;
        this.emit('onStepEnd', { loss: stepLoss, learningRate: lr, examples: groupExamples });
        groupLoss = 0;
        groupBatches = 0;
        groupExamples = 0;

        const step = this.state.globalStep;
        const atEpochEnd = b === total;
        if ((args.loggingStrategy === 'steps' && step % args.loggingSteps === 0) || this.control.shouldLog) {
          this.log({ loss: logLossSum / logLossCount, learning_rate: lr, ...(gradNorm !== undefined ? { grad_norm: gradNorm } : {}) });
          logLossSum = 0;
          logLossCount = 0;
          this.control.shouldLog = false;
        }
        if (atEpochEnd) {
          // The next run starts the next epoch from its first batch.
          this.state.epochIndex = epoch + 1;
          this.state.batchesInEpoch = 0;
        }
        if ((args.evalStrategy === 'steps' && step % args.evalSteps === 0) || this.control.shouldEvaluate) {
          await this.evaluateDuringTraining();
        }
        if ((args.saveStrategy === 'steps' && step % args.saveSteps === 0) || this.control.shouldSave) {
          await this.saveCheckpoint();
        }
        if (this.control.shouldStop || step >= maxSteps) {
          stop = true;
          break;
        }
      }
      acc?.forEach((g) => g.dispose());
      if (this.control.shouldStop) stop = true;
      if (b >= total) {
        this.state.epochIndex = epoch + 1;
        this.state.batchesInEpoch = 0;
      }
      // As HF: the epoch-end log / evaluation / save also runs when training stops mid-epoch.
      if (b >= total || stop) {
        if (args.loggingStrategy === 'epoch' && logLossCount > 0) {
          this.log({ loss: logLossSum / logLossCount, learning_rate: optimizer.paramGroups[0]?.lr ?? 0 });
          logLossSum = 0;
          logLossCount = 0;
        }
        if (args.evalStrategy === 'epoch') await this.evaluateDuringTraining();
        if (args.saveStrategy === 'epoch' && this.lastSavedStep !== this.state.globalStep) await this.saveCheckpoint();
        this.emit('onEpochEnd');
      }
      if (this.control.shouldStop) stop = true;
    }

    if (logLossCount > 0 && args.loggingStrategy !== 'no') {
      this.log({ loss: logLossSum / logLossCount, learning_rate: optimizer.paramGroups[0]?.lr ?? 0 });
    }
    if (args.loadBestModelAtEnd && this.state.bestModelCheckpoint) {
      await loadModelWeights(this.model, this.state.bestModelCheckpoint);
    }
    const runtime = (performance.now() - started) / 1000;
    const trainingLoss = totalLossCount ? totalLossSum / totalLossCount : NaN;
    const metrics = {
      train_runtime: runtime,
      train_samples_per_second: this.state.numInputExamples / Math.max(runtime, 1e-9),
      train_steps_per_second: totalLossCount / Math.max(runtime, 1e-9),
      train_loss: trainingLoss,
      epoch: this.state.epoch,
    };
    this.state.logHistory.push({ ...metrics, step: this.state.globalStep });
    this.emit('onTrainEnd');
    return { globalStep: this.state.globalStep, trainingLoss, metrics };
  }

  private *iterate(loader: BatchSource<I>, skip: number): Iterable<I> {
    if (loader.batches) {
      yield* loader.batches({ skip });
      return;
    }
    // No skip support: consume and drop the batches a previous run already trained on.
    let k = 0;
    for (const batch of loader) {
      if (k++ < skip) disposeBatch(batch);
      else yield batch;
    }
  }

  private async evaluateDuringTraining(): Promise<void> {
    this.control.shouldEvaluate = false;
    if (!this.evalLoader) {
      throw new TrainingArgumentsError(`TrainingArguments.evalStrategy is "${this.args.evalStrategy}" but the Trainer has no evalDataLoader / evalDataset.`);
    }
    const metrics = await this.evaluate();
    this.model.train();
    this.lastMetrics = { step: this.state.globalStep, metrics };
  }

  /** eval_loss plus computeMetrics' values (prefixed eval_), logged and passed to onEvaluate. */
  async evaluate(loader?: BatchSource<I>): Promise<Record<string, number>> {
    const source = loader ?? this.evalLoader;
    if (!source) throw new TrainingArgumentsError('Trainer.evaluate() needs a loader argument or an evalDataLoader / evalDataset.');
    const { metrics } = predictionLoop(this.model, source, 'eval', this.computeMetrics, this.predictionOptions());
    this.log({ ...metrics });
    this.emit('onEvaluate', { metrics });
    this.trackBest(metrics);
    return metrics;
  }

  /**
   * Predictions over all batches ({data, shape} per output, concatenated, ragged sequence axes padded
   * with -100), labels when the batches have them, and test_ metrics.
   */
  async predict(loader: BatchSource<I>): Promise<PredictionOutput> {
    return predictionLoop(this.model, loader, 'test', this.computeMetrics, this.predictionOptions());
  }

  private predictionOptions(): PredictionLoopOptions<I, O> {
    return { lossOnly: this.args.predictionLossOnly, computeLoss: (model, inputs, returnOutputs) => this.computeLoss(model, inputs, returnOutputs) };
  }

  private trackBest(metrics: Record<string, number>): void {
    if (!this.args.metricForBestModel) return;
    const key = evalMetricKey(this.args.metricForBestModel);
    const value = metrics[key];
    if (value === undefined) {
      throw new TrainingArgumentsError(
        `TrainingArguments.metricForBestModel is "${this.args.metricForBestModel}" but evaluation returned ${Object.keys(metrics).join(', ')}; name one of those (computeMetrics adds more).`,
      );
    }
    const best = this.state.bestMetric;
    const better = best === undefined || (this.args.greaterIsBetter ? value > best : value < best);
    if (better) {
      this.state.bestMetric = value;
      this.state.bestGlobalStep = this.state.globalStep;
    }
  }

  /**
   * Writes outputDir/checkpoint-<step>/: the model, optimizer.json/.safetensors, scheduler.json,
   * rng_state.json, trainer_state.json and training_args.json. The directory appears only once
   * complete, then old checkpoints beyond saveTotalLimit are deleted (never the best).
   */
  /** The running loss sums of the current train() call, for checkpoints. */
  private lossAccumulators?: () => LossAccumulators;

  async saveCheckpoint(): Promise<string> {
    this.control.shouldSave = false;
    const optimizer = this.ensureOptimizer();
    const finalDir = join(this.args.outputDir, checkpointDirName(this.state.globalStep));
    if (this.state.bestGlobalStep === this.state.globalStep && this.lastMetrics?.step === this.state.globalStep) {
      this.state.bestModelCheckpoint = finalDir;
    }
    const state = this.lossAccumulators ? { ...this.state, lossAccumulators: this.lossAccumulators() } : this.state;
    await writeTrainerCheckpoint(finalDir, { model: this.model, optimizer, scheduler: this.scheduler, state, args: this.args });
    this.lastSavedCheckpoint = finalDir;
    this.lastSavedStep = this.state.globalStep;
    await rotateCheckpoints(this.args.outputDir, this.args.saveTotalLimit, this.state.bestModelCheckpoint);
    this.emit('onSave', { checkpointDir: finalDir });
    return finalDir;
  }

  /** Writes the model (savePretrained, or model.safetensors) to dir, default outputDir. */
  async saveModel(dir = this.args.outputDir): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    await saveModelWeights(this.model, dir);
  }

  /** Frees the optimizer state; the model stays the caller's. */
  dispose(): void {
    this.optimizer?.dispose();
    this.optimizer = undefined;
  }
}
