import { globalGenerator } from '@attn/tensor';
import type { ParameterModel } from '../trainable_model';
import type { Optimizer } from '../optimizers/optimizer';
import type { LambdaScheduler } from '../schedulers/lr_scheduler';
import type { TrainerState } from '../trainer_state';
import type { TrainingArguments } from '../training_arguments';
import { CheckpointError } from '../training_error';
import type { TrainerStore } from '../storage/trainer_store';
import { joinPath } from '../storage/store_paths';
import { FileSystemStore } from '../storage/file_system_store';
import { commitDirectory, makeStagingDir, writeJson } from './atomic_write';
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
export async function writeTrainerCheckpoint(dir: string, s: TrainingSnapshot, store: TrainerStore = new FileSystemStore()): Promise<void> {
  const staging = await makeStagingDir(dir, store);
  try {
    await saveModelWeights(s.model, staging, store, { exact: true });
    await saveOptimizerState(s.optimizer, staging, store);
    if (s.scheduler) await writeJson(store, joinPath(staging, 'scheduler.json'), s.scheduler.stateDict());
    await writeJson(store, joinPath(staging, 'rng_state.json'), { global: globalGenerator().getState(), model: s.model.rng?.getState() });
    await writeJson(store, joinPath(staging, 'trainer_state.json'), s.state);
    await writeJson(store, joinPath(staging, 'training_args.json'), s.args);
    await commitDirectory(staging, dir, store);
  } catch (e) {
    await store.remove(staging);
    throw e;
  }
}

async function readJson<T>(store: TrainerStore, dir: string, file: string, hint: string): Promise<T> {
  const path = joinPath(dir, file);
  try {
    const bytes = await store.readFile(path);
    if (!bytes) throw new Error('no such file');
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new CheckpointError(`Cannot read ${path} (${(e as Error).message}); ${hint}`);
  }
}

/**
 * Restores model weights, optimizer moments, the schedule position and the RNG streams from a
 * checkpoint written by writeTrainerCheckpoint, and returns its trainer state.
 */
export async function readTrainerCheckpoint(
  dir: string,
  s: { model: ParameterModel; optimizer: Optimizer; scheduler?: LambdaScheduler },
  store: TrainerStore = new FileSystemStore(),
): Promise<TrainerState> {
  const state = await readJson<TrainerState>(store, dir, 'trainer_state.json', 'pass a checkpoint-<step> directory that the Trainer wrote.');
  const incomplete = 'the checkpoint is incomplete; resume from an earlier one.';
  const scheduler = await readJson<Parameters<LambdaScheduler['loadStateDict']>[0]>(store, dir, 'scheduler.json', incomplete);
  const rng = await readJson<{ global: number[]; model?: number[] }>(store, dir, 'rng_state.json', incomplete);
  await loadModelWeights(s.model, dir, store);
  await loadOptimizerState(s.optimizer, dir, store);
  s.scheduler?.loadStateDict(scheduler);
  globalGenerator().setState(rng.global);
  if (rng.model && s.model.rng) s.model.rng.setState(rng.model);
  return state;
}
