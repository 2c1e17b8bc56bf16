import type { Command } from 'commander';
import type { FreezeStrategy } from '@attn/trainer';
import { addCheckpointOptions, resolveCheckpointFlags, type CheckpointFlags, type CheckpointSettings } from './checkpoint_options';
import { numberFlag } from './number_flag';
import { parseFreezeFlag } from './freeze_flag';
import { optimizerFlag, type OptimizerName } from './optimizer_flag';
import { addConfigOption } from './config_file';
import { backendOption } from './backend_flag';

/** The fine-tuning flags `addTrainingOptions` adds, as commander hands them over (strings). */
export interface TrainingFlags extends CheckpointFlags {
  optimizer: string;
  lr: string;
  batchSize: string;
  epochs: string;
  weightDecay: string;
  warmupRatio: string;
  dropout?: string;
  patience: string;
  freeze: string;
  seed: string;
  maxGradNorm: string;
  limit: string;
  devLimit: string;
  /** Absent when the app gave no default (it then picks one, e.g. a tenth of an epoch). */
  loggingSteps?: string;
  backend?: string;
  gradientCheckpointing?: boolean;
  quiet?: boolean;
  /** `--config <file>`: already applied to the other flags when the action runs. */
  config?: string;
}

export interface TrainingOptionDefaults {
  /** What one training example is, for the help text: "sentences", "windows", ... */
  unit: string;
  /** The unit of --limit / --dev-limit when it differs from `unit` ("questions" for QA windows). */
  limitUnit?: string;
  batchSize: string;
  epochs: string;
  lr?: string;
  /** Default '50'; null: no default, the app picks one (`loggingStepsHelp` says which). */
  loggingSteps?: string | null;
  loggingStepsHelp?: string;
}

/**
 * The hyperparameter flags every app's `train` command shares (optimizer, schedule, regularisation,
 * early stopping, freezing, seed, subsets, backend, checkpoints and --resume), with the same names,
 * help and defaults everywhere; the app adds its data and task flags around them. `--config <file>`
 * sets any of the command's flags, the app's own included, from JSON (as `attn-classify train --config`).
 */
export function addTrainingOptions(cmd: Command, d: TrainingOptionDefaults): Command {
  const limitUnit = d.limitUnit ?? d.unit;
  return addConfigOption(addCheckpointOptions(cmd))
    .option('--optimizer <adamw|sgd>', 'optimizer', 'adamw')
    .option('--lr <n>', 'peak learning rate', d.lr ?? '5e-5')
    .option('--batch-size <n>', `${d.unit} per batch`, d.batchSize)
    .option('--epochs <n>', 'epochs', d.epochs)
    .option('--weight-decay <n>', 'AdamW weight decay (not on biases and LayerNorm)', '0.01')
    .option('--warmup-ratio <n>', 'fraction of steps with linear warm-up', '0.1')
    .option('--dropout <p>', 'hidden and attention dropout (presets only)')
    .option('--patience <n>', 'stop after this many epochs without a better dev score (F1, accuracy) and keep the best epoch (0 = never)', '2')
    .option('--freeze <strategy>', 'none, embeddings, all-but-head or bottom:<layers>', 'none')
    .option('--seed <n>', 'seed for init, shuffling and dropout', '42')
    .option('--max-grad-norm <n>', 'gradient clipping (0 = off)', '1')
    .option('--limit <n>', `use only the first n training ${limitUnit} (0 = all)`, '0')
    .option('--dev-limit <n>', `use only the first n dev ${limitUnit} (0 = all)`, '0')
    .option('--logging-steps <n>', `log the training loss every n steps${d.loggingSteps === null ? ` (default: ${d.loggingStepsHelp ?? 'the app\'s'})` : ''}`, d.loggingSteps === null ? undefined : (d.loggingSteps ?? '50'))
    .addOption(backendOption())
    .option('--gradient-checkpointing', "recompute each layer's activations in the backward pass instead of keeping them: less memory, one more forward per step")
    .option('--quiet', 'no progress or reports');
}

/** TrainingFlags as numbers and checked values (checkpoint settings included). */
export interface ParsedTrainingFlags extends CheckpointSettings {
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  epochs: number;
  weightDecay: number;
  warmupRatio: number;
  dropout?: number;
  patience: number;
  freeze: FreezeStrategy;
  seed: number;
  maxGradNorm: number;
  limit: number;
  devLimit: number;
  /** Undefined only when the app's `--logging-steps` has no default and none was given. */
  loggingSteps?: number;
  gradientCheckpointing: boolean;
}

/**
 * Checks every shared training flag before any data or model is loaded, each error naming the
 * flag as typed (`--lr must be a number >= 0; got "-1".`).
 */
export function parseTrainingFlags(flags: TrainingFlags): ParsedTrainingFlags {
  return {
    optimizer: optimizerFlag(flags.optimizer),
    lr: numberFlag('lr', flags.lr, { min: 0 }),
    batchSize: numberFlag('batch-size', flags.batchSize, { int: true, min: 1 }),
    epochs: numberFlag('epochs', flags.epochs, { min: 0.01 }),
    weightDecay: numberFlag('weight-decay', flags.weightDecay, { min: 0 }),
    warmupRatio: numberFlag('warmup-ratio', flags.warmupRatio, { min: 0, max: 1 }),
    dropout: flags.dropout === undefined ? undefined : numberFlag('dropout', flags.dropout, { min: 0, max: 1 }),
    patience: numberFlag('patience', flags.patience, { int: true, min: 0 }),
    freeze: parseFreezeFlag(flags.freeze),
    seed: numberFlag('seed', flags.seed, { int: true }),
    maxGradNorm: numberFlag('max-grad-norm', flags.maxGradNorm, { min: 0 }),
    limit: numberFlag('limit', flags.limit, { int: true, min: 0 }),
    devLimit: numberFlag('dev-limit', flags.devLimit, { int: true, min: 0 }),
    loggingSteps: flags.loggingSteps === undefined ? undefined : numberFlag('logging-steps', flags.loggingSteps, { int: true, min: 1 }),
    gradientCheckpointing: flags.gradientCheckpointing === true,
    ...resolveCheckpointFlags(flags),
  };
}
