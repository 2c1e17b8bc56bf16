import { TrainingArgumentsError } from './training_error';

export type IntervalStrategy = 'no' | 'steps' | 'epoch';

/**
 * HF TrainingArguments in camelCase, same meanings and defaults where HF has the field.
 * Only outputDir is required.
 */
export interface TrainingArguments {
  /** Checkpoints (checkpoint-<step>/), log.jsonl and the final model go here. */
  outputDir: string;
  learningRate: number; // 5e-5
  perDeviceTrainBatchSize: number; // 8 (used when the Trainer builds the DataLoader)
  perDeviceEvalBatchSize: number; // 8
  numTrainEpochs: number; // 3
  /** > 0 overrides numTrainEpochs. */
  maxSteps: number; // -1
  weightDecay: number; // 0
  /** No decay for biases and LayerNorm weights when true (HF Trainer's rule). */
  weightDecayExcludeBiasAndNorm: boolean; // true
  warmupSteps: number; // 0
  /** Used when warmupSteps is 0: ceil(maxSteps · warmupRatio). */
  warmupRatio: number; // 0
  lrSchedulerType: string; // 'linear' (also 'cosine', 'constant_with_warmup', 'constant', or registered)
  /** Cosine num_cycles (HF lr_scheduler_kwargs). */
  lrSchedulerNumCycles: number; // 0.5
  /** Global L2 norm clip; 0 disables. */
  maxGradNorm: number; // 1.0
  gradientAccumulationSteps: number; // 1
  evalStrategy: IntervalStrategy; // 'no'
  /** Defaults to loggingSteps, as HF. */
  evalSteps: number;
  saveStrategy: IntervalStrategy; // 'steps'
  saveSteps: number; // 500
  /** Keep at most this many checkpoints (the best one is never deleted); undefined keeps all. */
  saveTotalLimit?: number;
  loggingStrategy: IntervalStrategy; // 'steps'
  loggingSteps: number; // 500
  seed: number; // 42
  loadBestModelAtEnd: boolean; // false
  /** Metric name with or without the "eval_" prefix; default "loss" when loadBestModelAtEnd. */
  metricForBestModel?: string;
  /** Default: false when the metric is a loss, true otherwise. */
  greaterIsBetter?: boolean;
  optim: string; // 'adamw' | 'sgd' | registered
  adamBeta1: number; // 0.9
  adamBeta2: number; // 0.999
  adamEpsilon: number; // 1e-8
  sgdMomentum: number; // 0 (torch.optim.SGD default)
  sgdNesterov: boolean; // false
  /** No progress bar even on a TTY (plain log lines instead). */
  disableTqdm: boolean; // false
  /** Evaluation computes the loss only and copies no outputs (HF prediction_loss_only): a causal LM's logits are [N, seq, vocab]. */
  predictionLossOnly: boolean; // false
  /**
   * HF gradient_checkpointing: train() calls model.gradientCheckpointingEnable(), so each block's activations are
   * recomputed in the backward pass instead of kept (about one more forward per step; same gradients).
   */
  gradientCheckpointing: boolean; // false
}

export const DEFAULT_TRAINING_ARGUMENTS: Omit<TrainingArguments, 'outputDir' | 'evalSteps'> = {
  learningRate: 5e-5,
  perDeviceTrainBatchSize: 8,
  perDeviceEvalBatchSize: 8,
  numTrainEpochs: 3,
  maxSteps: -1,
  weightDecay: 0,
  weightDecayExcludeBiasAndNorm: true,
  warmupSteps: 0,
  warmupRatio: 0,
  lrSchedulerType: 'linear',
  lrSchedulerNumCycles: 0.5,
  maxGradNorm: 1.0,
  gradientAccumulationSteps: 1,
  evalStrategy: 'no',
  saveStrategy: 'steps',
  saveSteps: 500,
  loggingStrategy: 'steps',
  loggingSteps: 500,
  seed: 42,
  loadBestModelAtEnd: false,
  optim: 'adamw',
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  sgdMomentum: 0,
  sgdNesterov: false,
  disableTqdm: false,
  predictionLossOnly: false,
  gradientCheckpointing: false,
};

export type TrainingArgumentsInput = Partial<TrainingArguments> & { outputDir: string };

// A Record over every key, so adding a field to TrainingArguments without listing it here fails to compile.
const FIELDS: Record<keyof TrainingArguments, true> = {
  outputDir: true, learningRate: true, perDeviceTrainBatchSize: true, perDeviceEvalBatchSize: true, numTrainEpochs: true,
  maxSteps: true, weightDecay: true, weightDecayExcludeBiasAndNorm: true, warmupSteps: true, warmupRatio: true,
  lrSchedulerType: true, lrSchedulerNumCycles: true, maxGradNorm: true, gradientAccumulationSteps: true, evalStrategy: true,
  evalSteps: true, saveStrategy: true, saveSteps: true, saveTotalLimit: true, loggingStrategy: true, loggingSteps: true,
  seed: true, loadBestModelAtEnd: true, metricForBestModel: true, greaterIsBetter: true, optim: true, adamBeta1: true,
  adamBeta2: true, adamEpsilon: true, sgdMomentum: true, sgdNesterov: true, disableTqdm: true, predictionLossOnly: true,
  gradientCheckpointing: true,
};

/** Every field name TrainingArguments accepts. */
export const TRAINING_ARGUMENT_NAMES: readonly string[] = Object.keys(FIELDS);

/** Levenshtein distance (insertions, deletions, substitutions; one row of the table at a time). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The valid name nearest to `name` by edit distance, compared case- and underscore-blind so HF's
 * snake_case spellings (learning_rate) find their camelCase field; undefined when none is close.
 */
export function nearestTrainingArgument(name: string): string | undefined {
  const fold = (s: string) => s.replace(/[_-]/g, '').toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const field of TRAINING_ARGUMENT_NAMES) {
    const d = editDistance(fold(name), fold(field));
    if (d < bestDistance) [best, bestDistance] = [field, d];
  }
  // Farther than about half the name is a different word, not a misspelling.
  return bestDistance <= Math.max(2, Math.ceil(fold(name).length / 2)) ? best : undefined;
}

function rejectUnknownFields(input: object): void {
  const unknown = Object.keys(input).filter((k) => !Object.hasOwn(FIELDS, k));
  if (unknown.length === 0) return;
  const described = unknown.map((k) => {
    const near = nearestTrainingArgument(k);
    return near ? `${k} (did you mean ${near}?)` : k;
  });
  // As HF's TrainingArguments raises on an unexpected keyword: a misspelled field would otherwise be
  // ignored silently and its default used.
  throw new TrainingArgumentsError(
    `TrainingArguments has no field${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; fields are camelCase, e.g. learningRate, numTrainEpochs, perDeviceTrainBatchSize.`,
  );
}

function fail(field: string, expected: string, found: unknown): never {
  throw new TrainingArgumentsError(`TrainingArguments.${field} must be ${expected}; got ${JSON.stringify(found)}.`);
}

/**
 * Fills HF's defaults and checks every field; throws TrainingArgumentsError naming the field, and on
 * an unknown field names the nearest valid one.
 */
export function resolveTrainingArguments(input: TrainingArgumentsInput): TrainingArguments {
  if (input && typeof input === 'object') rejectUnknownFields(input);
  if (!input || typeof input.outputDir !== 'string' || input.outputDir === '') fail('outputDir', 'a directory path', input?.outputDir);
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as TrainingArgumentsInput;
  const a: TrainingArguments = {
    ...DEFAULT_TRAINING_ARGUMENTS,
    evalSteps: defined.loggingSteps ?? DEFAULT_TRAINING_ARGUMENTS.loggingSteps,
    ...defined,
  };
  const positiveInt = ['perDeviceTrainBatchSize', 'perDeviceEvalBatchSize', 'gradientAccumulationSteps', 'saveSteps', 'loggingSteps', 'evalSteps'] as const;
  for (const f of positiveInt) if (!Number.isInteger(a[f]) || a[f] < 1) fail(f, 'a positive integer', a[f]);
  const nonNegative = ['learningRate', 'weightDecay', 'warmupSteps', 'warmupRatio', 'maxGradNorm', 'adamEpsilon', 'sgdMomentum', 'numTrainEpochs'] as const;
  for (const f of nonNegative) if (!(Number.isFinite(a[f]) && a[f] >= 0)) fail(f, 'a finite number >= 0', a[f]);
  if (!Number.isInteger(a.warmupSteps)) fail('warmupSteps', 'an integer', a.warmupSteps);
  if (a.warmupRatio > 1) fail('warmupRatio', 'in [0, 1]', a.warmupRatio);
  if (!Number.isInteger(a.maxSteps) || (a.maxSteps < 1 && a.maxSteps !== -1)) fail('maxSteps', 'a positive integer or -1 (use numTrainEpochs)', a.maxSteps);
  if (a.maxSteps === -1 && a.numTrainEpochs <= 0) fail('numTrainEpochs', '> 0 when maxSteps is -1', a.numTrainEpochs);
  for (const f of ['adamBeta1', 'adamBeta2'] as const) if (!(a[f] >= 0 && a[f] < 1)) fail(f, 'in [0, 1)', a[f]);
  for (const f of ['evalStrategy', 'saveStrategy', 'loggingStrategy'] as const) {
    if (!['no', 'steps', 'epoch'].includes(a[f])) fail(f, `one of 'no', 'steps', 'epoch'`, a[f]);
  }
  if (typeof a.gradientCheckpointing !== 'boolean') fail('gradientCheckpointing', 'true or false', a.gradientCheckpointing);
  if (a.saveTotalLimit !== undefined && (!Number.isInteger(a.saveTotalLimit) || a.saveTotalLimit < 1)) {
    fail('saveTotalLimit', 'a positive integer or undefined', a.saveTotalLimit);
  }
  if (a.loadBestModelAtEnd) {
    if (a.evalStrategy === 'no') fail('evalStrategy', `'steps' or 'epoch' when loadBestModelAtEnd is true (the best model is chosen by evaluation)`, a.evalStrategy);
    if (a.saveStrategy !== a.evalStrategy) {
      fail('saveStrategy', `equal to evalStrategy ("${a.evalStrategy}") when loadBestModelAtEnd is true, so every evaluation has a checkpoint`, a.saveStrategy);
    }
    if (a.saveStrategy === 'steps' && a.saveSteps % a.evalSteps !== 0) {
      fail('saveSteps', `a multiple of evalSteps (${a.evalSteps}) when loadBestModelAtEnd is true`, a.saveSteps);
    }
    a.metricForBestModel ??= 'loss';
  }
  if (a.metricForBestModel !== undefined && a.greaterIsBetter === undefined) {
    a.greaterIsBetter = !a.metricForBestModel.endsWith('loss');
  }
  return a;
}

/** "accuracy" → "eval_accuracy"; names already prefixed are kept. */
export function evalMetricKey(name: string): string {
  return name.startsWith('eval_') ? name : `eval_${name}`;
}
