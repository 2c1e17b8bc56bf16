import { tf } from '@attn/tensor';
import type { Batch } from '@attn/data';
import { TrainingError } from './training_error';

/**
 * What the trainer iterates: an @attn/data DataLoader, or anything iterable with a length, yielding
 * batches of type B (a collator's typed batch, e.g. ClassificationBatch, which is also the model's input).
 * setEpoch / batches({skip}) make the order reproducible and resumable; without them a resumed
 * run re-iterates and drops the consumed batches. The trainer disposes every batch it receives.
 */
export interface BatchSource<B = Batch> extends Iterable<B> {
  readonly length: number;
  setEpoch?(epoch: number): void;
  batches?(opts: { skip?: number }): Iterable<B>;
}

/** The smallest batch the trainer accepts: it reads the batch size from inputIds. */
export type InputBatch = { inputIds: tf.Tensor };

/** The batch, after checking at run time that it has an inputIds tensor (for untyped JavaScript callers). */
export function checkBatch<B extends object>(batch: B): B {
  if (!(tensorField(batch, 'inputIds') instanceof tf.Tensor)) {
    throw new TrainingError(`A batch has no "inputIds" tensor (keys: ${Object.keys(batch).join(', ')}); collate batches with @attn/data's collators.`);
  }
  return batch;
}

/** One named tensor of a batch or of model outputs (labels, startPositions, logits, …), if present. */
export function tensorField(record: object, key: string): tf.Tensor | undefined {
  const value: unknown = Reflect.get(record, key);
  return value instanceof tf.Tensor ? value : undefined;
}

/** Every tensor-valued field, in the record's own order. */
export function tensorFields(record: object): Array<[string, tf.Tensor]> {
  return Object.entries(record).filter((e): e is [string, tf.Tensor] => e[1] instanceof tf.Tensor);
}

export function disposeBatch(batch: object): void {
  for (const [, t] of tensorFields(batch)) if (!t.isDisposed) t.dispose();
}

export function batchSizeOf(batch: object): number {
  return tensorField(batch, 'inputIds')?.shape[0] ?? 0;
}
