import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { globalGenerator } from '@attn/tensor';
import type { ParameterModel } from '../trainable_model';
import type { Optimizer } from '../optimizers/optimizer';
import type { LambdaScheduler } from '../schedulers/lr_scheduler';
import type { TrainerState } from '../trainer_state';
import type { TrainingArguments } from '../training_arguments';
import { CheckpointError } from '../training_error';
import { commitDirectory, makeStagingDir, writeJsonAtomic } from './atomic_write';
import { loadModelWeights, saveModelWeights } from './model_weights';
import { loadOptimizerState, saveOptimizerState } from './optimizer_state_file';

/** Everything a checkpoint captures of a training run. */
export interface TrainingSnapshot {
  model: ParameterModel;
  optimizer: Optimizer;
  scheduler?: LambdaScheduler;
  state: TrainerState;
  args: TrainingArguments;
}

/**
 * Writes `dir` (checkpoint-<step>): the model (savePretrained or model.safetensors),
 * optimizer.json/.safetensors, scheduler.json, rng_state.json (global and model generators),
 * trainer_state.json and training_args.json. Built in a hidden staging directory and renamed into
 * place only when complete; on failure the staging directory is removed and an existing `dir`
 * is untouched.
 */
export async function writeTrainerCheckpoint(dir: string, s: TrainingSnapshot): Promise<void> {
  const staging = await makeStagingDir(dir);
  try {
    await saveModelWeights(s.model, staging);
    await saveOptimizerState(s.optimizer, staging);
    if (s.scheduler) await writeJsonAtomic(join(staging, 'scheduler.json'), s.scheduler.stateDict());
    await writeJsonAtomic(join(staging, 'rng_state.json'), { global: globalGenerator().getState(), model: s.model.rng?.getState() });
    await writeJsonAtomic(join(staging, 'trainer_state.json'), s.state);
    await writeJsonAtomic(join(staging, 'training_args.json'), s.args);
    await commitDirectory(staging, dir);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    throw e;
  }
}

async function readJson<T>(dir: string, file: string, hint: string): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(join(dir, file), 'utf8')) as T;
  } catch (e) {
    throw new CheckpointError(`Cannot read ${join(dir, file)} (${(e as Error).message}); ${hint}`);
  }
}

/**
 * Restores model weights, optimizer moments, the schedule position and the RNG streams from a
 * checkpoint written by writeTrainerCheckpoint, and returns its trainer state.
 */
export async function readTrainerCheckpoint(
  dir: string,
  s: { model: ParameterModel; optimizer: Optimizer; scheduler?: LambdaScheduler },
): Promise<TrainerState> {
  const state = await readJson<TrainerState>(dir, 'trainer_state.json', 'pass a checkpoint-<step> directory that the Trainer wrote.');
  const incomplete = 'the checkpoint is incomplete; resume from an earlier one.';
  const scheduler = await readJson<Parameters<LambdaScheduler['loadStateDict']>[0]>(dir, 'scheduler.json', incomplete);
  const rng = await readJson<{ global: number[]; model?: number[] }>(dir, 'rng_state.json', incomplete);
  await loadModelWeights(s.model, dir);
  await loadOptimizerState(s.optimizer, dir);
  s.scheduler?.loadStateDict(scheduler);
  globalGenerator().setState(rng.global);
  if (rng.model && s.model.rng) s.model.rng.setState(rng.model);
  return state;
}
