import type { Batch } from '@attn/data';
import type { ModelInputs } from './trainable_model';
import { TrainingError } from './training_error';

/**
 * What the trainer iterates: an @attn/data DataLoader, or anything iterable with a length.
 * setEpoch / batches({skip}) make the order reproducible and resumable; without them a resumed
 * run re-iterates and drops the consumed batches. The trainer disposes every batch it receives.
 */
export interface BatchSource extends Iterable<Batch> {
  readonly length: number;
  setEpoch?(epoch: number): void;
  batches?(opts: { skip?: number }): Iterable<Batch>;
}

/** A batch as model inputs (keys are already the forward's argument names). */
export function toInputs(batch: Batch): ModelInputs {
  if (!batch.inputIds) {
    throw new TrainingError(`A batch has no "inputIds" tensor (keys: ${Object.keys(batch).join(', ')}); collate batches with @attn/data's collators.`);
  }
  return batch as unknown as ModelInputs;
}

export function disposeBatch(batch: Batch): void {
  for (const t of Object.values(batch)) if (!t.isDisposed) t.dispose();
}

export function batchSizeOf(batch: Batch): number {
  return batch.inputIds?.shape[0] ?? 0;
}
