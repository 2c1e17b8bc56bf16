import { tf, loadCheckpointWeights, parseSafetensors, serializeSafetensors, SafetensorsError } from '@attn/tensor';
import type { TrainerStore } from '../storage/trainer_store';
import { joinPath } from '../storage/store_paths';
import { FileSystemStore } from '../storage/file_system_store';
import type { ParameterModel } from '../trainable_model';
import { CheckpointError } from '../training_error';

/**
 * The model's parameters in the HF/torch layout (Linear weights [out, in]), as new tensors the
 * caller disposes.
 */
function hfLayoutTensors(model: ParameterModel): Record<string, tf.Tensor> {
  const transposed = model.transposedParameterNames?.() ?? new Set<string>();
  return tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, v] of model.namedParameters()) out[name] = transposed.has(name) ? tf.transpose(v) : tf.clone(v);
    return out;
  });
}

/**
 * Writes the model into dir (`exact`: in float32 whatever its default save dtype): on the filesystem savePretrained when the model has it; in another store
 * the same two files from toPretrainedBytes; else model.safetensors in the HF layout.
 */
export async function saveModelWeights(
  model: ParameterModel,
  dir: string,
  store: TrainerStore = new FileSystemStore(),
  opts: { exact?: boolean } = {},
): Promise<void> {
  if (store.isFileSystem && model.savePretrained) {
    // exact (checkpoints): float32 whatever the model came in, so that a resumed run continues from the same bits.
    await (opts.exact ? model.savePretrained(dir, { dtype: 'float32' }) : model.savePretrained(dir));
    return;
  }
  if (!store.isFileSystem && model.toPretrainedBytes) {
    // exact: float32 here too (toPretrainedBytes, like savePretrained, defaults to the dtype the model came in).
    const { config, safetensors } = opts.exact ? model.toPretrainedBytes({ dtype: 'float32' }) : model.toPretrainedBytes();
    await store.writeFile(joinPath(dir, 'model.safetensors'), safetensors);
    await store.writeFile(joinPath(dir, 'config.json'), config);
    return;
  }
  const tensors = hfLayoutTensors(model);
  try {
    const file = joinPath(dir, 'model.safetensors');
    await store.writeFile(file, serializeSafetensors(tensors, undefined, { source: file }));
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}

/** The one sharded-checkpoint reader (@attn/tensor's, which validates the index), with the trainer's error. */
async function readWeightFiles(dir: string): Promise<Record<string, tf.Tensor>> {
  try {
    return await loadCheckpointWeights(dir);
  } catch (e) {
    if (e instanceof SafetensorsError && /no model\.safetensors or model\.safetensors\.index\.json/.test(e.message)) {
      throw new CheckpointError(`${dir} has neither model.safetensors nor model.safetensors.index.json; it is not a complete checkpoint.`);
    }
    throw e;
  }
}

/**
 * Loads the weights saveModelWeights wrote back into the model (exactly: float32 round-trips
 * bit for bit). Every model parameter must be present; extra keys (e.g. a tied decoder copy)
 * are ignored.
 */
export async function loadModelWeights(model: ParameterModel, dir: string, store: TrainerStore = new FileSystemStore()): Promise<void> {
  if (store.isFileSystem) {
    assignModelWeights(model, await readWeightFiles(dir), dir);
    return;
  }
  const file = joinPath(dir, 'model.safetensors');
  const bytes = await store.readFile(file);
  if (!bytes) throw new CheckpointError(`${dir} has no model.safetensors; it is not a complete checkpoint.`);
  assignModelWeights(model, parseSafetensors(bytes, file), dir);
}

/** Copies HF-layout tensors into the model's parameters and disposes them. */
export function assignModelWeights(model: ParameterModel, stored: Record<string, tf.Tensor>, dir: string): void {
  if (model.loadPretrainedWeights) {
    try {
      const info = model.loadPretrainedWeights(stored, { source: dir, quiet: true }) as { missingKeys?: string[] } | undefined;
      if (info?.missingKeys?.length) {
        throw new CheckpointError(
          `${dir} lacks ${info.missingKeys.length} parameter(s) of the model, e.g. ${info.missingKeys.slice(0, 3).join(', ')}; it was saved from a different model.`,
        );
      }
    } finally {
      Object.values(stored).forEach((t) => t.dispose());
    }
    return;
  }
  const transposed = model.transposedParameterNames?.() ?? new Set<string>();
  try {
    const names = model.namedParameters().map(([n]) => n);
    const missing = names.filter((n) => !(n in stored));
    if (missing.length) {
      throw new CheckpointError(
        `${dir}/model.safetensors lacks ${missing.length} parameter(s) of the model, e.g. ${missing.slice(0, 3).join(', ')}; it was saved from a different model.`,
      );
    }
    const internal = tf.tidy(() => {
      const out: Record<string, tf.Tensor> = {};
      for (const n of names) out[n] = transposed.has(n) ? tf.transpose(stored[n]!) : tf.clone(stored[n]!);
      return out;
    });
    try {
      model.loadStateDict(internal, { strict: false });
    } finally {
      Object.values(internal).forEach((t) => t.dispose());
    }
  } finally {
    Object.values(stored).forEach((t) => t.dispose());
  }
}
