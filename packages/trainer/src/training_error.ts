/**
 * Errors the trainer raises. Each message says what was expected, what was found, where
 * (file / argument) and what to do about it.
 */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** A TrainingArguments field has a value the trainer cannot use. */
export class TrainingArgumentsError extends TrainingError {
  override name = 'TrainingArgumentsError';
}

/** A checkpoint directory is missing a file or holds something that does not fit the model. */
export class CheckpointError extends TrainingError {
  override name = 'CheckpointError';
}

/** The loss became NaN or infinite; `lastGoodCheckpoint` is the newest checkpoint saved before it. */
export class NonFiniteLossError extends TrainingError {
  override name = 'NonFiniteLossError';
  constructor(
    message: string,
    readonly step: number,
    readonly lastGoodCheckpoint: string | undefined,
    /** The loss value (NaN, Infinity or -Infinity). */
    readonly loss: number = NaN,
  ) {
    super(message);
  }
}
