import { parseSafetensors, serializeSafetensors } from '@attn/tensor';
import type { Optimizer, OptimizerStateDict } from '../optimizers/optimizer';
import type { TrainerStore } from '../storage/trainer_store';
import { joinPath } from '../storage/store_paths';
import { writeJson } from './atomic_write';
import { CheckpointError } from '../training_error';

/** optimizer.json (settings, steps, groups) + optimizer.safetensors (slot tensors). */
export async function saveOptimizerState(optimizer: Optimizer, dir: string, store: TrainerStore): Promise<void> {
  const { tensors, ...rest } = optimizer.stateDict();
  try {
    const file = joinPath(dir, 'optimizer.safetensors');
    await store.writeFile(file, serializeSafetensors(tensors, undefined, { source: file }));
    await writeJson(store, joinPath(dir, 'optimizer.json'), rest);
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}

export async function loadOptimizerState(optimizer: Optimizer, dir: string, store: TrainerStore): Promise<void> {
  const incomplete = 'the checkpoint is incomplete; resume from an earlier one.';
  let rest: Omit<OptimizerStateDict, 'tensors'>;
  const jsonFile = joinPath(dir, 'optimizer.json');
  try {
    const bytes = await store.readFile(jsonFile);
    if (!bytes) throw new Error('no such file');
    rest = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new CheckpointError(`Cannot read ${jsonFile} (${(e as Error).message}); ${incomplete}`);
  }
  const tensorFile = joinPath(dir, 'optimizer.safetensors');
  const bytes = await store.readFile(tensorFile);
  if (!bytes) throw new CheckpointError(`Cannot read ${tensorFile} (no such file); ${incomplete}`);
  const tensors = parseSafetensors(bytes, tensorFile);
  try {
    optimizer.loadStateDict({ ...rest, tensors });
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}
