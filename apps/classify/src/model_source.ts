import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertConfig, BertForSequenceClassification, type BertPresetName } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { loadTokenizer } from '@attn/pipelines';
import type { LabelMap } from '@attn/data';
import { CliError } from './cli_error';

const PRESETS: BertPresetName[] = ['bert-tiny', 'bert-mini', 'bert-small', 'bert-medium', 'bert-base'];

/** The app's bundled files (data/ beside dist/ or src/). */
export const APP_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data');

export function isPreset(name: string): name is BertPresetName {
  return (PRESETS as string[]).includes(name);
}

export interface ModelSourceOptions {
  labels: LabelMap;
  tokenizer?: string;
  dropout?: number;
  seed: number;
}

/**
 * `--model`: an HF-format directory (config.json + model.safetensors + tokenizer) whose head is
 * loaded or freshly initialised, or a preset name to start from random weights.
 */
export async function loadModelSource(model: string, opts: ModelSourceOptions): Promise<{ model: BertForSequenceClassification; tokenizer: Tokenizer; from: string }> {
  const { id2label, label2id } = opts.labels.toConfig();
  if (isPreset(model)) {
    const tokPath = opts.tokenizer ?? join(APP_DATA, 'vocab-bert-base-uncased.txt');
    const tokenizer = tokPath.endsWith('.json') ? await Tokenizer.fromFile(tokPath) : await Tokenizer.fromVocabFile(tokPath, { lowercase: true });
    const overrides: Record<string, unknown> = { vocab_size: tokenizer.getVocabSize(true), id2label, label2id };
    if (opts.dropout !== undefined) Object.assign(overrides, { hidden_dropout_prob: opts.dropout, attention_probs_dropout_prob: opts.dropout });
    const config = BertConfig.preset(model, overrides);
    return { model: new BertForSequenceClassification(config, { seed: opts.seed }), tokenizer, from: `${model} (random init, tokenizer ${tokPath})` };
  }
  if (!existsSync(join(model, 'config.json'))) {
    throw new CliError(`--model ${model}: not a preset (${PRESETS.join(', ')}) and has no config.json; pass an HF-format model directory.`);
  }
  if (!existsSync(join(model, 'model.safetensors')) && !existsSync(join(model, 'model.safetensors.index.json'))) {
    throw new CliError(`--model ${model}: no model.safetensors (or model.safetensors.index.json); the directory has no weights.`);
  }
  const tokenizer = opts.tokenizer
    ? opts.tokenizer.endsWith('.json')
      ? await Tokenizer.fromFile(opts.tokenizer)
      : await Tokenizer.fromVocabFile(opts.tokenizer, { lowercase: true })
    : await loadTokenizer(model);
  const loaded = await BertForSequenceClassification.fromPretrained(model, { id2label, label2id, seed: opts.seed });
  return { model: loaded, tokenizer, from: model };
}

/** A directory a saved classifier can be loaded from, or a one-line error saying what is missing. */
export function assertModelDir(dir: string): void {
  if (!existsSync(join(dir, 'config.json'))) throw new CliError(`--model ${dir}: no config.json; pass a directory written by \`attn-classify train\` or an HF model directory.`);
  if (!existsSync(join(dir, 'model.safetensors')) && !existsSync(join(dir, 'model.safetensors.index.json'))) {
    throw new CliError(`--model ${dir}: no model.safetensors; the directory has no weights.`);
  }
}
