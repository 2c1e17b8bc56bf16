import { mkdir } from 'node:fs/promises';
import { Trainer, type TrainerOptions, type TrainingArgumentsInput, type TrainOutput } from '@attn/trainer';
import { saveTokenizer } from '@attn/pipelines';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import type { ParsedTrainingFlags } from './train_options';
import { SaveOnSignalCallback } from './save_on_signal';
import { CliError } from './cli_error';

/** The hyperparameters every app's `train` shares, as ParsedTrainingFlags (or classify's TrainConfig) names them. */
export type SharedHyperparameters = Pick<ParsedTrainingFlags, 'optimizer' | 'lr' | 'batchSize' | 'epochs' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'seed' | 'saveStrategy' | 'saveSteps' | 'saveTotalLimit'> &
  Partial<Pick<ParsedTrainingFlags, 'gradientCheckpointing'>>;

/** TrainingArguments from the shared hyperparameters; the app adds its evaluation and logging settings. */
export function trainingArguments(h: SharedHyperparameters, outputDir: string): TrainingArgumentsInput {
  return {
    outputDir,
    learningRate: h.lr,
    perDeviceTrainBatchSize: h.batchSize,
    numTrainEpochs: h.epochs,
    weightDecay: h.weightDecay,
    warmupRatio: h.warmupRatio,
    maxGradNorm: h.maxGradNorm,
    optim: h.optimizer,
    seed: h.seed,
    saveStrategy: h.saveStrategy,
    saveSteps: h.saveSteps,
    saveTotalLimit: h.saveTotalLimit,
    gradientCheckpointing: h.gradientCheckpointing ?? false,
  };
}

/**
 * Builds the Trainer, with a SaveOnSignalCallback last (Ctrl-C finishes the update, writes a
 * resumable checkpoint after the other callbacks' evaluations, and rejects), and trains, from the
 * checkpoint `resume` when given. The signal handlers and the optimizer state are released however
 * it ends; the model and trainer.state stay usable.
 */
export async function runTraining<T>(opts: TrainerOptions<T>, resume?: string): Promise<{ trainer: Trainer<T>; output: TrainOutput }> {
  const interrupt = new SaveOnSignalCallback();
  const trainer = new Trainer<T>({ ...opts, callbacks: [...(opts.callbacks ?? []), interrupt] });
  try {
    return { trainer, output: await trainer.train({ resumeFromCheckpoint: resume }) };
  } catch (e) {
    throw heapExhaustedError(e, opts.args) ?? e;
  } finally {
    interrupt.dispose();
    trainer.dispose();
  }
}

/** A trained model in HF format: config.json, model.safetensors and tokenizer.json in `dir` (created if missing). */
export async function saveTrained(model: TaskModel, tokenizer: Tokenizer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.savePretrained(dir);
  await saveTokenizer(tokenizer, dir);
}

/**
 * The wasm backend's memory stops growing at 4 GB, and a training step that needs more ends in emscripten's bare
 * `RuntimeError: Aborted()` (a BERT-mini QA step at 32 windows × 384 tokens did). This turns that into one line
 * saying what to change; undefined for any other error.
 */
export function heapExhaustedError(e: unknown, args: Pick<TrainingArgumentsInput, 'perDeviceTrainBatchSize' | 'gradientCheckpointing'> = {}): CliError | undefined {
  if (!(e instanceof Error) || e.name !== 'RuntimeError' || !/^Aborted\(/.test(e.message)) return undefined;
  const batch = args.perDeviceTrainBatchSize !== undefined ? ` at --batch-size ${args.perDeviceTrainBatchSize}` : '';
  const fixes = [...(args.gradientCheckpointing ? [] : ['--gradient-checkpointing (the same updates, ~1.3x the time)']), 'a smaller --batch-size', 'a smaller --max-length'];
  return new CliError(
    `training ran out of memory${batch}: the wasm backend's heap stops at 4 GB (RuntimeError: Aborted()). Try ${fixes.join(', or ')}; checkpoints already written are intact.`,
  );
}
