import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertConfig, createModel, loadModel, type BertPresetName, type BertTask, type BertTaskModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { loadTokenizer } from '@attn/pipelines';
import type { LabelMap } from '@attn/data';
import { CliError } from './cli_error';

const PRESETS: BertPresetName[] = ['bert-tiny', 'bert-mini', 'bert-small', 'bert-medium', 'bert-base'];

/** The repository's fixtures/ (apps run from src/ in tests and from dist/ when built: both are two levels down). */
export const REPO_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures');

export function isPreset(name: string): name is BertPresetName {
  return (PRESETS as string[]).includes(name);
}

export interface ModelSourceOptions {
  task: BertTask;
  /** Token classification: the tag set; becomes config.json's id2label / label2id. */
  labels?: LabelMap;
  /** vocab.txt or tokenizer.json; required for presets when defaultTokenizer is not given. */
  tokenizer?: string;
  defaultTokenizer: string;
  /** vocab.txt only: lower-case input (uncased vocabularies). */
  lowercase: boolean;
  dropout?: number;
  seed: number;
}

/** A tokenizer from vocab.txt or tokenizer.json, with the one-line error a user needs when it is missing. */
export async function readTokenizer(path: string, lowercase: boolean): Promise<Tokenizer> {
  if (!existsSync(path)) throw new CliError(`--tokenizer ${path}: no such file; pass a vocab.txt or tokenizer.json.`);
  return path.endsWith('.json') ? Tokenizer.fromFile(path) : Tokenizer.fromVocabFile(path, { lowercase });
}

/** Checks an HF model directory has what loading needs, naming what is missing. */
export function checkModelDir(dir: string, flag = '--model'): void {
  if (!existsSync(join(dir, 'config.json'))) {
    throw new CliError(`${flag} ${dir}: not a preset (${PRESETS.join(', ')}) and has no config.json; pass an HF-format model directory.`);
  }
  if (!existsSync(join(dir, 'model.safetensors')) && !existsSync(join(dir, 'model.safetensors.index.json'))) {
    throw new CliError(`${flag} ${dir}: no model.safetensors (or model.safetensors.index.json); the directory has no weights. Train one with \`train --out ${dir}\`.`);
  }
}

/**
 * `--model`: an HF-format directory (config.json + model.safetensors + tokenizer) whose head is
 * loaded or freshly initialised, or a preset name to start from random weights.
 */
export async function loadModelSource(model: string, opts: ModelSourceOptions): Promise<{ model: BertTaskModel; tokenizer: Tokenizer; from: string }> {
  const labelFields: { id2label?: Record<string, string>; label2id?: Record<string, number> } = opts.labels ? opts.labels.toConfig() : {};
  if (isPreset(model)) {
    const tokPath = opts.tokenizer ?? opts.defaultTokenizer;
    const tokenizer = await readTokenizer(tokPath, opts.lowercase);
    const overrides: Record<string, unknown> = { vocab_size: tokenizer.getVocabSize(true), ...labelFields };
    if (opts.dropout !== undefined) Object.assign(overrides, { hidden_dropout_prob: opts.dropout, attention_probs_dropout_prob: opts.dropout });
    const config = BertConfig.preset(model, overrides);
    return { model: createModel(opts.task, config, { seed: opts.seed }), tokenizer, from: `${model} (random init, tokenizer ${tokPath})` };
  }
  checkModelDir(model);
  const tokenizer = opts.tokenizer ? await readTokenizer(opts.tokenizer, opts.lowercase) : await loadTokenizer(model);
  const loaded = await loadModel(model, { task: opts.task, ...labelFields, seed: opts.seed, ignoreMismatchedSizes: true });
  if (opts.dropout !== undefined) process.stderr.write(`note: --dropout applies to models started from a preset; ${model} keeps its config.json dropout.\n`);
  return { model: loaded, tokenizer, from: model };
}
