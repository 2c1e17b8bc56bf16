import { existsSync } from 'node:fs';
import { createModel, loadModel, presetConfig, registeredPresets, type ModelTask, type TaskModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { loadTokenizer } from '@attn/pipelines';
import type { LabelMap } from '@attn/data';
import { CliError } from './cli_error';
import { assertModelDir, type ModelDirMessages } from './model_dir';

/** Preset names `--model` accepts in place of a directory (random weights): every registered family's. */
export function modelPresets(): readonly string[] {
  return registeredPresets();
}

export function isPreset(name: string): boolean {
  return registeredPresets().includes(name);
}

/** The messages of a `--model <dir|preset>` check: the config.json one lists the presets, the weights one says how to get weights. */
export function presetModelDirMessages(dir: string, flag = '--model'): ModelDirMessages {
  return {
    flag,
    noConfig: `not a preset (${modelPresets().join(', ')}) and has no config.json; pass an HF-format model directory.`,
    noWeights: `no model.safetensors (or model.safetensors.index.json); the directory has no weights. Train one with \`train --out ${dir}\`.`,
  };
}

export interface ModelSourceOptions {
  task: ModelTask;
  /** The label set; becomes config.json's id2label / label2id. */
  labels?: LabelMap;
  /** vocab.txt or tokenizer.json; overrides defaultTokenizer for presets and the directory's tokenizer otherwise. */
  tokenizer?: string;
  /** The tokenizer a preset starts with when `tokenizer` is not given. */
  defaultTokenizer: string;
  /** vocab.txt only: lower-case input (uncased vocabularies). */
  lowercase: boolean;
  /** Hidden and attention dropout of a preset model. */
  dropout?: number;
  seed: number;
  /** Messages when a directory lacks config.json or weights (default: presetModelDirMessages). */
  modelDirMessages?: ModelDirMessages;
  /** Print a note when --dropout cannot apply to a directory's config (default true). */
  noteIgnoredDropout?: boolean;
  /** Re-initialise checkpoint tensors whose shape differs, e.g. a head with a new label count (default true). */
  ignoreMismatchedSizes?: boolean;
  /** Fail with a one-line CliError when a --tokenizer file is missing (default true; false lets ENOENT through). */
  checkTokenizerExists?: boolean;
}

export interface ModelSource<M extends TaskModel = TaskModel> {
  model: M;
  tokenizer: Tokenizer;
  /** What the model came from, for logs: the directory, or the preset and tokenizer. */
  from: string;
}

/** A tokenizer from vocab.txt or tokenizer.json, with the one-line error a user needs when it is missing. */
export async function readTokenizer(path: string, lowercase: boolean, checkExists = true): Promise<Tokenizer> {
  if (checkExists && !existsSync(path)) throw new CliError(`--tokenizer ${path}: no such file; pass a vocab.txt or tokenizer.json.`);
  return path.endsWith('.json') ? Tokenizer.fromFile(path) : Tokenizer.fromVocabFile(path, { lowercase });
}

/**
 * `--model`: an HF-format directory (config.json + model.safetensors + tokenizer) whose head is
 * loaded or freshly initialised, or a preset name to start from random weights.
 */
export async function loadModelSource(model: string, opts: ModelSourceOptions): Promise<ModelSource> {
  const labelFields: { id2label?: Record<string, string>; label2id?: Record<string, number> } = opts.labels ? opts.labels.toConfig() : {};
  const checkExists = opts.checkTokenizerExists ?? true;
  if (isPreset(model)) {
    const tokPath = opts.tokenizer ?? opts.defaultTokenizer;
    const tokenizer = await readTokenizer(tokPath, opts.lowercase, checkExists);
    const base = presetConfig(model, { vocab_size: tokenizer.getVocabSize(true), ...labelFields });
    const config = opts.dropout !== undefined ? base.withDropout(opts.dropout) : base;
    return { model: createModel(opts.task, config, { seed: opts.seed }), tokenizer, from: `${model} (random init, tokenizer ${tokPath})` };
  }
  assertModelDir(model, opts.modelDirMessages ?? presetModelDirMessages(model));
  const tokenizer = opts.tokenizer ? await readTokenizer(opts.tokenizer, opts.lowercase, checkExists) : await loadTokenizer(model);
  const loaded = await loadModel(model, { task: opts.task, ...labelFields, seed: opts.seed, ignoreMismatchedSizes: opts.ignoreMismatchedSizes ?? true });
  // A tokenizer larger than the model's embedding table would feed out-of-range ids (e.g. a preset's
  // --tokenizer left on the command line when --model became a directory, or the default model).
  const vocabSize = loaded.config.vocabSize;
  if (opts.tokenizer && tokenizer.getVocabSize(true) > vocabSize) {
    loaded.dispose();
    throw new CliError(`--tokenizer ${opts.tokenizer} has ${tokenizer.getVocabSize(true)} tokens but ${model}/config.json has vocab_size ${vocabSize}; drop --tokenizer to use the model's own tokenizer, or pass a preset (bert-tiny, ...) to start from random weights with this tokenizer.`);
  }
  if (opts.dropout !== undefined && (opts.noteIgnoredDropout ?? true)) {
    process.stderr.write(`note: --dropout applies to models started from a preset; ${model} keeps its config.json dropout.\n`);
  }
  return { model: loaded, tokenizer, from: model };
}
