import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors, saveSafetensors } from '@attn/tensor';
import type { Optimizer, OptimizerStateDict } from '../optimizers/optimizer';
import { writeJsonAtomic } from './atomic_write';
import { CheckpointError } from '../training_error';

/** optimizer.json (settings, steps, groups) + optimizer.safetensors (slot tensors). */
export async function saveOptimizerState(optimizer: Optimizer, dir: string): Promise<void> {
  const { tensors, ...rest } = optimizer.stateDict();
  try {
    await saveSafetensors(join(dir, 'optimizer.safetensors'), tensors);
    await writeJsonAtomic(join(dir, 'optimizer.json'), rest);
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}

export async function loadOptimizerState(optimizer: Optimizer, dir: string): Promise<void> {
  let rest: Omit<OptimizerStateDict, 'tensors'>;
  try {
    rest = JSON.parse(await fs.readFile(join(dir, 'optimizer.json'), 'utf8'));
  } catch (e) {
    throw new CheckpointError(`Cannot read ${join(dir, 'optimizer.json')} (${(e as Error).message}); the checkpoint is incomplete.`);
  }
  const tensors = await loadSafetensors(join(dir, 'optimizer.safetensors'));
  try {
    optimizer.loadStateDict({ ...rest, tensors });
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}
