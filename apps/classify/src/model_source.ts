import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import type { LabelMap } from '@attn/data';
import { defaultModel, loadModelSource as loadTaskModel, presetModelDirMessages, repoPath, type ModelDirMessages } from '@attn/cli';

/** The app's bundled files (data/ beside dist/ or src/). */
export const APP_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** `--model` when none is given: the repository's pretrained models/attn-bert-tiny (see apps/pretrain), else bert-tiny from random weights. */
export const DEFAULT_MODEL = defaultModel(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'attn-bert-tiny'));

/** What eval / predict / serve say when --model is not a saved classifier. */
export const CLASSIFIER_DIR_MESSAGES: ModelDirMessages = {
  noConfig: 'no config.json; pass a directory written by `attn-classify train` or an HF model directory.',
  noWeights: 'no model.safetensors; the directory has no weights.',
};

export interface ModelSourceOptions {
  labels: LabelMap;
  tokenizer?: string;
  dropout?: number;
  seed: number;
}

/**
 * `--model` for training: a preset starts from the bundled uncased vocabulary (lower-cased input);
 * a directory must have a head of matching size (no silent re-initialisation).
 */
export async function loadModelSource(model: string, opts: ModelSourceOptions): Promise<{ model: TaskModel; tokenizer: Tokenizer; from: string }> {
  const source = await loadTaskModel(model, {
    task: 'sequence-classification',
    labels: opts.labels,
    tokenizer: opts.tokenizer,
    // One copy of bert-base-uncased's vocabulary in the checkout, shared with the tests.
    defaultTokenizer: repoPath(import.meta.url, 'fixtures', 'tokenizers', 'bert-base-uncased', 'vocab.txt'),
    lowercase: true,
    dropout: opts.dropout,
    seed: opts.seed,
    modelDirMessages: { noConfig: presetModelDirMessages(model).noConfig },
    ignoreMismatchedSizes: false,
    noteIgnoredDropout: false,
    checkTokenizerExists: false,
  });
  // task 'sequence-classification' always builds this class.
  return source;
}
