import { UnsupportedArchitectureError } from './checkpoint_errors';
import { joinPath } from './model_files';
import { readConfigJSON, type PretrainedConfig } from './pretrained_config';
import {
  modelFromWeights,
  parseCheckpointBytes,
  type FromPretrainedOptions,
  type ModelInitOptions,
  type ModelTask,
  type PreTrainedModel,
  type PreTrainedModelClass,
  type SavePretrainedOptions,
} from './pretrained_model';
import { classForTask, familyOf, findArchitecture, registeredArchitectures, type ModelFamily } from './registry';
import { tf } from '@attn/tensor';

/** The tasks the encoder apps fine-tune (kept under its first name). */
export type BertTask = 'sequence-classification' | 'token-classification' | 'question-answering' | 'masked-lm';

/** Any registered model with a task head: what the trainer, pipelines and apps work with. */
export type TaskModel = PreTrainedModel<PretrainedConfig>;
/** @deprecated the registry made it family-neutral: use TaskModel. */
export type BertTaskModel = TaskModel;

/** A freshly initialised model of `config`'s family for a task. */
export function createModel(task: ModelTask, config: PretrainedConfig, opts: ModelInitOptions = {}): TaskModel {
  const family = familyOf(config.modelType, 'config');
  const cls = classForTask(family, task, 'config') as unknown as new (c: PretrainedConfig, o?: ModelInitOptions) => TaskModel;
  const model = new cls(config, opts);
  if (opts.attnImplementation) model.setAttnImplementation(opts.attnImplementation);
  return model;
}

/**
 * Which family and class a config.json stands for, as HF's Auto classes decide: `model_type` picks the family,
 * `architectures` the head, or `task` when given (needed for a bare base-model checkpoint).
 */
export function resolveArchitecture(json: Record<string, unknown>, task: ModelTask | undefined, source: string): { family: ModelFamily; cls: PreTrainedModelClass } {
  const archs = Array.isArray(json['architectures']) ? (json['architectures'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  let family: ModelFamily | undefined;
  if (typeof json['model_type'] === 'string') family = familyOf(json['model_type'], source);
  else {
    // Old configs without model_type: the architecture name says the family.
    family = archs.map((a) => findArchitecture(a)?.family).find((f) => f !== undefined);
    if (!family) {
      throw new UnsupportedArchitectureError(
        `${source}: no "model_type" and no registered architecture in ${JSON.stringify(archs)}; registered: ${registeredArchitectures().join(', ')}.`,
      );
    }
  }
  if (task) return { family, cls: classForTask(family, task, source) };
  for (const a of archs) {
    const found = findArchitecture(a);
    if (found && found.family === family && found.cls.task !== 'base') return found;
  }
  throw new UnsupportedArchitectureError(
    `${source}: architectures ${JSON.stringify(archs)} names no ${family.modelType} task head; ` +
      `pass { task: ${family.models.filter((m) => m.task !== 'base').map((m) => `'${m.task}'`).join(' | ')} } to add one.`,
  );
}

/**
 * Loads an HF model directory of any registered family with the head named by config.json's `architectures`,
 * or with the head for `opts.task` (a bare base-model checkpoint then gets a freshly initialised head).
 */
export async function loadModel(dir: string, opts: FromPretrainedOptions & { task?: ModelTask } = {}): Promise<TaskModel> {
  const path = joinPath(dir, 'config.json');
  const json = await readConfigJSON(path);
  const { cls } = resolveArchitecture(json, opts.task, path);
  return (cls as unknown as { fromPretrained(dir: string, opts: FromPretrainedOptions): Promise<TaskModel> }).fromPretrained(dir, opts);
}

/** An HF checkpoint held in memory: config.json text (or its parsed object) and model.safetensors bytes (or its shards). */
export interface PretrainedBytes {
  config: string | Record<string, unknown>;
  safetensors: Uint8Array | readonly Uint8Array[];
}

/**
 * loadModel for bytes (browsers: file pickers, fetch, downloads): the class comes from config.json as in
 * loadModel, or is `opts.task`'s class of the family. Returns the model in eval mode.
 */
export function loadModelFromBytes(checkpoint: PretrainedBytes, opts: FromPretrainedOptions & { task?: ModelTask; source?: string } = {}): TaskModel {
  const source = opts.source ?? '<bytes>';
  const json = typeof checkpoint.config === 'string' ? (JSON.parse(checkpoint.config) as Record<string, unknown>) : checkpoint.config;
  const { cls } = resolveArchitecture(json, opts.task, `${source}/config.json`);
  return fromPretrainedBytes(cls as PreTrainedModelClass<TaskModel>, checkpoint, opts);
}

/**
 * fromPretrained for bytes with an explicit class: builds `cls` from config.json and safetensors bytes (one file
 * or every shard). Parameters the checkpoint lacks (e.g. a new task head) are freshly initialised.
 */
export function fromPretrainedBytes<T extends PreTrainedModel>(
  cls: PreTrainedModelClass<T>,
  checkpoint: PretrainedBytes,
  opts: FromPretrainedOptions & { source?: string } = {},
): T {
  const source = opts.source ?? '<bytes>';
  const json = typeof checkpoint.config === 'string' ? (JSON.parse(checkpoint.config) as Record<string, unknown>) : checkpoint.config;
  const config = cls.configClass.fromJSON(json, `${source}/config.json`);
  const weights = parseCheckpointBytes(checkpoint.safetensors, source);
  try {
    return modelFromWeights(cls, config, weights, { ...opts, source });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** savePretrained for bytes: config.json text and model.safetensors bytes (torch layout) that HF loads, in opts.dtype (default: the dtype the checkpoint came in). */
export function toPretrainedBytes(model: PreTrainedModel, opts: SavePretrainedOptions = {}): { config: string; safetensors: Uint8Array } {
  return model.toPretrainedBytes(opts);
}

/** toPretrainedBytes with asynchronous read-backs: use it on webgpu. */
export function toPretrainedBytesAsync(model: PreTrainedModel, opts: SavePretrainedOptions = {}): Promise<{ config: string; safetensors: Uint8Array }> {
  return model.toPretrainedBytesAsync(opts);
}
