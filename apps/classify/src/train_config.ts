import type { TextEncoding } from '@attn/data';
import { encodingFlag, maxLengthFlag, numberFlag, parseTrainingFlags, type TrainingFlags } from '@attn/cli';
import { CliError } from './cli_error';
import { DEFAULT_MODEL } from './model_source';

/** Every `train` setting, checked; a JSON config file (`--config`) uses the same keys. */
export interface TrainConfig {
  train: string;
  dev?: string;
  test?: string;
  /** HF-format directory, or a preset name (bert-tiny, bert-mini, ...) to start from random weights. */
  model: string;
  /** vocab.txt or tokenizer.json for a model started from a preset (default: bundled bert-base-uncased vocab). */
  tokenizer?: string;
  out: string;
  textColumn: string;
  textPairColumn?: string;
  labelColumn: string;
  /**
   * Names for the label column's values 0..n-1 (GLUE files hold 0 / 1): what config.json's id2label,
   * predict and the reports show, e.g. ["negative", "positive"] for SST-2. Default: the values as written.
   */
  labelNames?: string[];
  optimizer: 'adamw' | 'sgd';
  lr: number;
  batchSize: number;
  epochs: number;
  weightDecay: number;
  warmupRatio: number;
  scheduler: string;
  dropout?: number;
  /** Early stopping: epochs without a better dev accuracy (0 = never stop, keep the last epoch). */
  patience: number;
  freeze: string;
  loraRank: number;
  seed: number;
  maxLength: number;
  maxGradNorm: number;
  backend?: string;
  /** Use at most this many training examples (0 = all). */
  limit: number;
  /** Use at most this many dev examples (0 = all). */
  devLimit: number;
  /** Log the training loss every n updates (default: a tenth of an epoch). */
  loggingSteps?: number;
  /** No progress or reports. */
  quiet?: boolean;
  /** Recompute each layer's activations in the backward pass (less memory, one more forward per step). */
  gradientCheckpointing?: boolean;
  /** How the data files are decoded: utf8 (strict) or latin1. */
  encoding: TextEncoding;
  /** Checkpoints in `out` (checkpoint-<step>): after every epoch, every saveSteps updates, or never. */
  saveStrategy: 'epoch' | 'steps' | 'no';
  saveSteps: number;
  /** Keep only the newest n checkpoints (the best is never deleted). */
  saveTotalLimit?: number;
  /** Continue from this checkpoint directory, or true for the newest in `out`. */
  resume?: string | boolean;
}

export const TRAIN_DEFAULTS: Omit<TrainConfig, 'train' | 'model' | 'out'> = {
  textColumn: 'sentence',
  labelColumn: 'label',
  optimizer: 'adamw',
  lr: 5e-4,
  batchSize: 32,
  epochs: 3,
  weightDecay: 0.01,
  warmupRatio: 0.1,
  scheduler: 'linear',
  patience: 2,
  freeze: 'none',
  loraRank: 0,
  seed: 42,
  maxLength: 128,
  maxGradNorm: 1,
  limit: 0,
  devLimit: 0,
  encoding: 'utf8',
  saveStrategy: 'epoch',
  saveSteps: 500,
};

/** `attn-classify train`'s flags as commander hands them over (defaults applied, --config merged): @attn/cli's shared TrainingFlags and the app's own. */
export interface ClassifyTrainFlags extends TrainingFlags {
  train?: string;
  dev?: string;
  test?: string;
  model?: string;
  tokenizer?: string;
  out?: string;
  textColumn: string;
  textPairColumn?: string;
  labelColumn: string;
  labelNames?: string | string[];
  scheduler: string;
  loraRank: string;
  maxLength: string;
  encoding?: string;
}

/**
 * The flags as a TrainConfig: the shared training flags checked by @attn/cli (parseTrainingFlags), the
 * app's own here, each error one line naming the flag, before any data or model is loaded.
 */
export function resolveTrainConfig(flags: ClassifyTrainFlags): TrainConfig {
  for (const key of ['train', 'out'] as const) {
    if (typeof flags[key] !== 'string' || !flags[key]) throw new CliError(`--${key} is required (or set "${key}" in the --config file).`);
  }
  const t = parseTrainingFlags(flags);
  const model = flags.model ?? DEFAULT_MODEL;
  return {
    train: flags.train!,
    dev: flags.dev,
    test: flags.test,
    model,
    tokenizer: flags.tokenizer,
    out: flags.out!,
    textColumn: flags.textColumn,
    textPairColumn: flags.textPairColumn,
    labelColumn: flags.labelColumn,
    labelNames: flags.labelNames === undefined ? undefined : labelNamesFlag(flags.labelNames),
    optimizer: t.optimizer,
    lr: t.lr,
    batchSize: t.batchSize,
    epochs: t.epochs,
    weightDecay: t.weightDecay,
    warmupRatio: t.warmupRatio,
    scheduler: flags.scheduler,
    dropout: t.dropout,
    patience: t.patience,
    freeze: flags.freeze,
    loraRank: numberFlag('lora-rank', flags.loraRank, { int: true, min: 0 }),
    seed: t.seed,
    // Longer than the model's position embeddings would crash on the first long text, mid-run.
    maxLength: maxLengthFlag(flags.maxLength, { model }),
    maxGradNorm: t.maxGradNorm,
    backend: flags.backend,
    limit: t.limit,
    devLimit: t.devLimit,
    loggingSteps: t.loggingSteps,
    encoding: encodingFlag(flags.encoding),
    saveStrategy: t.saveStrategy,
    saveSteps: t.saveSteps,
    saveTotalLimit: t.saveTotalLimit,
    resume: flags.resume,
    quiet: flags.quiet,
    gradientCheckpointing: t.gradientCheckpointing,
  };
}

/** `--label-names negative,positive` (or a JSON array given to train() directly): two or more distinct, non-empty names. */
function labelNamesFlag(v: unknown): string[] {
  const names = typeof v === 'string' ? v.split(',').map((n) => n.trim()) : v;
  if (!Array.isArray(names) || names.length < 2 || names.some((n) => typeof n !== 'string' || n === '') || new Set(names).size !== names.length) {
    throw new CliError(`--label-names must be two or more distinct names for the labels 0, 1, ... (e.g. negative,positive); got ${JSON.stringify(v)}.`);
  }
  return names as string[];
}
