import type { TrainingArguments } from '../training_arguments';
import type { TrainerState, LogEntry } from '../trainer_state';
import type { ParameterModel } from '../trainable_model';
import type { TrainerStore } from '../storage/trainer_store';

/** Flags a callback can set to steer the loop (HF TrainerControl). */
export interface TrainerControl {
  shouldStop: boolean;
  shouldSave: boolean;
  shouldEvaluate: boolean;
  shouldLog: boolean;
}

/** What every event receives; the fields after `model` are set for the events they belong to. */
export interface CallbackContext {
  args: TrainingArguments;
  state: TrainerState;
  control: TrainerControl;
  model: ParameterModel;
  /** Where the trainer writes (callbacks that write files, such as JsonlLoggerCallback, use it outside Node). */
  store?: TrainerStore;
  /** onStepEnd: mean loss of this update's micro-batches, lr it used, examples it saw. */
  loss?: number;
  learningRate?: number;
  examples?: number;
  /** onLog. */
  logs?: LogEntry;
  /** onEvaluate. */
  metrics?: Record<string, number>;
  /** onSave: the checkpoint directory just written. */
  checkpointDir?: string;
}

/**
 * Hooks into the training loop (HF TrainerCallback). Every method is optional. A new callback is a
 * new file implementing this; pass it in `new Trainer({ callbacks })`.
 */
export interface TrainerCallback {
  onTrainBegin?(ctx: CallbackContext): void;
  onEpochBegin?(ctx: CallbackContext): void;
  /** May return a promise, which the trainer awaits before the next step (a browser page yields a frame here). */
  onStepEnd?(ctx: CallbackContext): void | Promise<void>;
  onLog?(ctx: CallbackContext): void;
  onEvaluate?(ctx: CallbackContext): void;
  onSave?(ctx: CallbackContext): void;
  onEpochEnd?(ctx: CallbackContext): void;
  onTrainEnd?(ctx: CallbackContext): void;
}

export function freshControl(): TrainerControl {
  return { shouldStop: false, shouldSave: false, shouldEvaluate: false, shouldLog: false };
}
