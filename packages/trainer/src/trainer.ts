import { tf, setGlobalSeed, variableGrads } from '@attn/tensor';
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
import { clipGradNorm, clipGradNormScale } from './clip_grad_norm';
import { freshControl, type CallbackContext, type TrainerCallback, type TrainerControl } from './callbacks/callback';
import type { PredictionOutput } from './prediction_output';
import { predictionLoop, type ComputeMetrics, type PredictionLoopOptions } from './prediction_loop';
import { batchSizeOf, checkBatch, disposeBatch, type BatchSource, type InputBatch } from './batch_source';
import { CheckpointError, NonFiniteLossError, TrainingArgumentsError, TrainingError } from './training_error';
import { checkpointDirName, latestCheckpoint, removeStaleStaging, rotateCheckpoints } from './checkpoint/checkpoint_dirs';
import { loadModelWeights, saveModelWeights } from './checkpoint/model_weights';
import { readTrainerCheckpoint, writeTrainerCheckpoint } from './checkpoint/trainer_checkpoint';
import { defaultStore, type TrainerStore } from './storage/trainer_store';
import { joinPath } from './storage/store_paths';
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
  /**
   * Where checkpoints and saved models go (paths under args.outputDir): default the filesystem in Node
   * (FileSystemStore, atomic and flushed) and memory in a browser (MemoryStore); outputDir is created
   * only in a filesystem store.
   */
  store?: TrainerStore;
}

export interface TrainOutput {
  globalStep: number;
  trainingLoss: number;
  metrics: Record<string, number>;
}

/** What one train() call works with, fixed before its first batch. */
interface TrainingRun<I> {
  loader: BatchSource<I>;
  optimizer: Optimizer;
  scheduler: LambdaScheduler;
  accum: number;
  maxSteps: number;
  numEpochs: number;
  vars: tf.Variable[];
  /** Variable name → parameter name. */
  names: Map<string, string>;
  /** Loss sums of the logging window and of the whole run (checkpoints save them). */
  losses: LossAccumulators;
}

/** Where an epoch is, and the gradient-accumulation group being filled. */
interface AccumulationGroup {
  epoch: number;
  /** Micro-batches in the epoch. */
  total: number;
  /** Micro-batches of the epoch consumed so far. */
  batch: number;
  /** Summed gradients of the group's micro-batches (each scaled by 1 / group size). */
  grads?: GradientMap;
  loss: number;
  batches: number;
  examples: number;
}

/** Adds one micro-batch's gradients into the running sum (disposing both operands); the first becomes the sum. */
function accumulateGradients(acc: GradientMap | undefined, grads: GradientMap): GradientMap {
  if (!acc) return grads;
  for (const [n, g] of grads) {
    const prev = acc.get(n);
    if (prev) {
      acc.set(n, tf.add(prev, g));
      prev.dispose();
      g.dispose();
    } else acc.set(n, g);
  }
  return acc;
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
  readonly store: TrainerStore;
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
  /** The running loss sums of the current (or last) train() call: the logging window and the whole run. */
  private losses?: LossAccumulators;
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
    this.store = opts.store ?? defaultStore();
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
          store: this.store,
          args: { ...this.args, ...overrides, outputDir: joinPath(this.args.outputDir, `trial-${trial.number}`) },
          callbacks: [...this.callbacks],
        });
      },
    });
  }

  addCallback(cb: TrainerCallback): void {
    this.callbacks.push(cb);
  }

  private emit(event: Exclude<keyof TrainerCallback, 'onStepEnd'>, extra: Partial<CallbackContext> = {}): void {
    const ctx: CallbackContext = { args: this.args, state: this.state, control: this.control, model: this.model, store: this.store, ...extra };
    for (const cb of this.callbacks) cb[event]?.call(cb, ctx);
  }

  /** onStepEnd, waiting for the callbacks that return a promise. */
  private async emitStepEnd(extra: Pick<CallbackContext, 'loss' | 'learningRate' | 'examples'>): Promise<void> {
    const ctx: CallbackContext = { args: this.args, state: this.state, control: this.control, model: this.model, store: this.store, ...extra };
    for (const cb of this.callbacks) {
      const pending = cb.onStepEnd?.call(cb, ctx);
      if (pending) await pending;
    }
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
  private async lossAndGrads(batch: I, scale: number, names: Map<string, string>, vars: tf.Variable[]): Promise<{ loss: number; grads: GradientMap }> {
    const inputs = checkBatch(batch);
    // attn's variableGrads: tf.variableGrads's values, with each activation's gradient freed as the backward passes it.
    const { value, grads } = variableGrads(() => {
      const { loss } = splitLossResult(this.computeLoss(this.model, inputs, false));
      return scale === 1 ? loss : tf.mul(loss, scale);
    }, vars);
    // An asynchronous read: WebGPU cannot read a GPU tensor back synchronously.
    const loss = (await value.data())[0]! / scale;
    value.dispose();
    const byName: GradientMap = new Map();
    for (const [varName, g] of Object.entries(grads)) byName.set(names.get(varName)!, g);
    return { loss, grads: byName };
  }

  /**
   * Runs the training loop. `resumeFromCheckpoint`: a checkpoint directory, or true for the newest
   * checkpoint in outputDir; the run then continues with the same data order, learning rates,
   * optimizer moments and dropout stream as if it had never stopped.
   *
   * The loop reads as HF's: per epoch, each micro-batch is one `trainingStep` (forward, backward,
   * gradients accumulated); every gradientAccumulationSteps micro-batches (or at the epoch's end) one
   * `optimizerStep` (clip, update, schedule), then `maybeLogSaveEvaluate` decides on logging,
   * evaluation, saving and stopping; `epochEnd` does the epoch strategies.
   */
  async train(opts: { resumeFromCheckpoint?: string | true } = {}): Promise<TrainOutput> {
    const run = await this.beginTraining(opts.resumeFromCheckpoint);
    const started = performance.now();
    // A callback may end a resumed run at once (early stopping decided before the checkpoint).
    let stop = this.state.globalStep >= run.maxSteps || this.control.shouldStop;
    for (let epoch = this.state.epochIndex; epoch < run.numEpochs && !stop; epoch++) {
      stop = await this.trainEpoch(run, epoch);
    }
    return this.endTraining(run, (performance.now() - started) / 1000);
  }

  /** Checks, seeding, schedule, optimizer and (on resume) the restored state: everything before the first batch. */
  private async beginTraining(resumeFrom: string | true | undefined): Promise<TrainingRun<I>> {
    const args = this.args;
    const loader = this.trainLoader;
    if (!loader) throw new TrainingArgumentsError('Trainer.train() needs trainDataLoader (or trainDataset + collator).');
    if (loader.length < 1) throw new TrainingError('The training data loader yields no batches; check the dataset is not empty.');
    if (args.evalStrategy !== 'no' && !this.evalLoader) {
      throw new TrainingArgumentsError(`TrainingArguments.evalStrategy is "${args.evalStrategy}" but the Trainer has no evalDataLoader / evalDataset; pass one or set evalStrategy: 'no'.`);
    }
    if (this.store.isFileSystem) await this.store.makeDir(args.outputDir);
    await removeStaleStaging(args.outputDir, this.store);

    // HF's set_seed at the start of train(): dropout draws from the global generator.
    setGlobalSeed(args.seed);
    if (args.gradientCheckpointing) {
      if (typeof this.model.gradientCheckpointingEnable !== 'function') {
        throw new TrainingArgumentsError('TrainingArguments.gradientCheckpointing is true but the model has no gradientCheckpointingEnable(); @attn/models\' models have it.');
      }
      this.model.gradientCheckpointingEnable();
    }
    const accum = args.gradientAccumulationSteps;
    const updatesPerEpoch = Math.max(1, Math.ceil(loader.length / accum));
    const maxSteps = args.maxSteps > 0 ? args.maxSteps : Math.ceil(args.numTrainEpochs * updatesPerEpoch);
    const numEpochs = Math.ceil(maxSteps / updatesPerEpoch);
    const warmup = args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(maxSteps * args.warmupRatio);

    const optimizer = this.ensureOptimizer();
    const scheduler = createScheduler(args.lrSchedulerType, optimizer, {
      numWarmupSteps: warmup,
      numTrainingSteps: maxSteps,
      numCycles: args.lrSchedulerNumCycles,
    });
    this.scheduler = scheduler;
    this.state = { ...initialTrainerState(), maxSteps, numTrainEpochs: numEpochs };
    this.control = freshControl();

    if (resumeFrom !== undefined) {
      const dir = resumeFrom === true ? await latestCheckpoint(args.outputDir, this.store) : resumeFrom;
      if (!dir) throw new CheckpointError(`resumeFromCheckpoint: true but ${args.outputDir} holds no checkpoint-<step> directory.`);
      this.state = await readTrainerCheckpoint(dir, { model: this.model, optimizer, scheduler }, this.store);
      this.lastSavedCheckpoint = dir;
      this.state.maxSteps = maxSteps;
      this.state.numTrainEpochs = numEpochs;
    }
    // Restored from a checkpoint taken between logging steps (see TrainerState.lossAccumulators).
    const losses = { logSum: 0, logCount: 0, totalSum: 0, totalCount: 0, ...this.state.lossAccumulators };
    this.losses = losses;

    const trainable = this.model.trainableParameters();
    this.model.train();
    this.emit('onTrainBegin');
    return {
      loader,
      optimizer,
      scheduler,
      accum,
      maxSteps,
      numEpochs,
      vars: trainable.map(([, v]) => v),
      names: new Map(trainable.map(([n, v]) => [v.name, n])),
      losses,
    };
  }

  /** One epoch (or the rest of it, on resume); returns whether training stops. */
  private async trainEpoch(run: TrainingRun<I>, epoch: number): Promise<boolean> {
    this.state.epochIndex = epoch;
    run.loader.setEpoch?.(epoch);
    const group: AccumulationGroup = { epoch, total: run.loader.length, batch: this.state.batchesInEpoch, loss: 0, batches: 0, examples: 0 };
    this.emit('onEpochBegin');
    let stop = false;
    try {
      for (const batch of this.iterate(run.loader, group.batch)) {
        await this.trainingStep(run, group, batch);
        if (group.batch % run.accum !== 0 && group.batch !== group.total) continue;
        const { loss, examples, learningRate, gradNorm } = this.optimizerStep(run, group);
        await this.emitStepEnd({ loss, learningRate, examples });
        if (await this.maybeLogSaveEvaluate(run, group, learningRate, gradNorm)) {
          stop = true;
          break;
        }
      }
    } finally {
      group.grads?.forEach((g) => g.dispose());
    }
    if (this.control.shouldStop) stop = true;
    if (group.batch >= group.total) this.finishEpochPosition(epoch);
    // As HF: the epoch-end log / evaluation / save also runs when training stops mid-epoch.
    if (group.batch >= group.total || stop) await this.epochEnd(run);
    return stop || this.control.shouldStop;
  }

  /**
   * HF's training_step: one micro-batch's forward and backward (loss scaled by 1 / the accumulation
   * group's size), its gradients added to the group's; the batch is disposed. A non-finite loss stops training.
   */
  private async trainingStep(run: TrainingRun<I>, group: AccumulationGroup, batch: I): Promise<void> {
    const groupStart = group.batch - (group.batch % run.accum);
    const groupSize = Math.min(run.accum, group.total - groupStart);
    let loss: number;
    let grads: GradientMap;
    try {
      group.examples += batchSizeOf(batch);
      ({ loss, grads } = await this.lossAndGrads(batch, 1 / groupSize, run.names, run.vars));
    } finally {
      disposeBatch(batch);
    }
    if (!Number.isFinite(loss)) {
      grads.forEach((g) => g.dispose());
      const where = this.lastSavedCheckpoint
        ? `The last good checkpoint is ${this.lastSavedCheckpoint}; resume from it with a lower learningRate or a maxGradNorm.`
        : 'No checkpoint was saved before it; lower learningRate, set maxGradNorm, or check the inputs and labels.';
      throw new NonFiniteLossError(
        `The training loss became ${loss} at update ${this.state.globalStep + 1} (epoch ${group.epoch}, batch ${group.batch}); training stopped. ${where}`,
        this.state.globalStep + 1,
        this.lastSavedCheckpoint,
        loss,
      );
    }
    group.grads = accumulateGradients(group.grads, grads);
    group.loss += loss;
    group.batches += 1;
    group.batch += 1;
  }

  /**
   * One optimizer update from the group's gradients (clipped to maxGradNorm), then the schedule's step;
   * the state advances one global step. Returns the group's mean loss and examples for onStepEnd.
   */
  private optimizerStep(run: TrainingRun<I>, group: AccumulationGroup): { loss: number; examples: number; learningRate: number; gradNorm?: number } {
    let grads = group.grads!;
    let gradNorm: number | undefined;
    let gradScale = 1;
    if (this.args.maxGradNorm > 0 && run.optimizer.supportsGradScale) {
      // The optimizer applies the clip coefficient itself (AdamW: inside its one kernel), same values.
      ({ totalNorm: gradNorm, scale: gradScale } = clipGradNormScale(grads, this.args.maxGradNorm));
    } else if (this.args.maxGradNorm > 0) {
      const clipped = clipGradNorm(grads, this.args.maxGradNorm);
      grads = clipped.grads;
      gradNorm = clipped.totalNorm;
    }
    const learningRate = run.optimizer.paramGroups[0]?.lr ?? 0;
    if (gradScale === 1) run.optimizer.step(grads);
    else run.optimizer.step(grads, gradScale);
    grads.forEach((g) => g.dispose());
    group.grads = undefined;
    run.scheduler.step();

    const stepLoss = group.loss / group.batches;
    this.state.globalStep += 1;
    this.state.batchesInEpoch = group.batch;
    this.state.epoch = group.epoch + group.batch / group.total;
    this.state.numInputExamples += group.examples;
    run.losses.logSum += stepLoss;
    run.losses.logCount += 1;
    run.losses.totalSum += stepLoss;
    run.losses.totalCount += 1;
    const examples = group.examples;
    group.loss = 0;
    group.batches = 0;
    group.examples = 0;
    return { loss: stepLoss, examples, learningRate, gradNorm };
  }

  /** HF's _maybe_log_save_evaluate after an update (step strategies and callback flags); returns whether to stop. */
  private async maybeLogSaveEvaluate(run: TrainingRun<I>, group: AccumulationGroup, learningRate: number, gradNorm: number | undefined): Promise<boolean> {
    const args = this.args;
    const step = this.state.globalStep;
    if ((args.loggingStrategy === 'steps' && step % args.loggingSteps === 0) || this.control.shouldLog) {
      this.logTrainingLoss(run, learningRate, gradNorm);
      this.control.shouldLog = false;
    }
    // The next run starts the next epoch from its first batch.
    if (group.batch === group.total) this.finishEpochPosition(group.epoch);
    if ((args.evalStrategy === 'steps' && step % args.evalSteps === 0) || this.control.shouldEvaluate) {
      await this.evaluateDuringTraining();
    }
    if ((args.saveStrategy === 'steps' && step % args.saveSteps === 0) || this.control.shouldSave) {
      await this.saveCheckpoint();
    }
    return this.control.shouldStop || step >= run.maxSteps;
  }

  /** The epoch strategies ('epoch' logging, evaluation, saving) and onEpochEnd. */
  private async epochEnd(run: TrainingRun<I>): Promise<void> {
    const args = this.args;
    if (args.loggingStrategy === 'epoch' && run.losses.logCount > 0) this.logTrainingLoss(run, run.optimizer.paramGroups[0]?.lr ?? 0);
    if (args.evalStrategy === 'epoch') await this.evaluateDuringTraining();
    if (args.saveStrategy === 'epoch' && this.lastSavedStep !== this.state.globalStep) await this.saveCheckpoint();
    this.emit('onEpochEnd');
  }

  /** The last, partial logging window; the best model back if asked; train_* metrics and onTrainEnd. */
  private async endTraining(run: TrainingRun<I>, runtime: number): Promise<TrainOutput> {
    if (run.losses.logCount > 0 && this.args.loggingStrategy !== 'no') this.logTrainingLoss(run, run.optimizer.paramGroups[0]?.lr ?? 0);
    if (this.args.loadBestModelAtEnd && this.state.bestModelCheckpoint) {
      await loadModelWeights(this.model, this.state.bestModelCheckpoint, this.store);
    }
    const { totalSum, totalCount } = run.losses;
    const trainingLoss = totalCount ? totalSum / totalCount : NaN;
    const metrics = {
      train_runtime: runtime,
      train_samples_per_second: this.state.numInputExamples / Math.max(runtime, 1e-9),
      train_steps_per_second: totalCount / Math.max(runtime, 1e-9),
      train_loss: trainingLoss,
      epoch: this.state.epoch,
    };
    this.state.logHistory.push({ ...metrics, step: this.state.globalStep });
    this.emit('onTrainEnd');
    return { globalStep: this.state.globalStep, trainingLoss, metrics };
  }

  /** Logs the mean loss of the updates since the last log and starts a new window. */
  private logTrainingLoss(run: TrainingRun<I>, learningRate: number, gradNorm?: number): void {
    this.log({ loss: run.losses.logSum / run.losses.logCount, learning_rate: learningRate, ...(gradNorm !== undefined ? { grad_norm: gradNorm } : {}) });
    run.losses.logSum = 0;
    run.losses.logCount = 0;
  }

  /** Marks an epoch as fully consumed: a resumed run starts the next one from its first batch. */
  private finishEpochPosition(epoch: number): void {
    this.state.epochIndex = epoch + 1;
    this.state.batchesInEpoch = 0;
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
  async saveCheckpoint(): Promise<string> {
    this.control.shouldSave = false;
    const optimizer = this.ensureOptimizer();
    const finalDir = joinPath(this.args.outputDir, checkpointDirName(this.state.globalStep));
    if (this.state.bestGlobalStep === this.state.globalStep && this.lastMetrics?.step === this.state.globalStep) {
      this.state.bestModelCheckpoint = finalDir;
    }
    const state = this.losses ? { ...this.state, lossAccumulators: { ...this.losses } } : this.state;
    await writeTrainerCheckpoint(finalDir, { model: this.model, optimizer, scheduler: this.scheduler, state, args: this.args }, this.store);
    this.lastSavedCheckpoint = finalDir;
    this.lastSavedStep = this.state.globalStep;
    await rotateCheckpoints(this.args.outputDir, this.args.saveTotalLimit, this.state.bestModelCheckpoint, this.store);
    this.emit('onSave', { checkpointDir: finalDir });
    return finalDir;
  }

  /** Writes the model (savePretrained, or config.json + model.safetensors) to dir in the store, default outputDir. */
  async saveModel(dir = this.args.outputDir): Promise<void> {
    await this.store.makeDir(dir);
    await saveModelWeights(this.model, dir, this.store);
  }

  /** Frees the optimizer state; the model stays the caller's. */
  dispose(): void {
    this.optimizer?.dispose();
    this.optimizer = undefined;
  }
}
