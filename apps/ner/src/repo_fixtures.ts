import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModel } from '@attn/cli';

/** The repository's fixtures/ (apps run from src/ in tests and from dist/ when built: both are two levels down). */
export const REPO_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures');

/**
 * `--model` when none is given: the repository's pretrained models/attn-bert-tiny-cased (BERT-tiny with
 * bert-base-cased's vocabulary, pretrained by tools/pretrain), else bert-tiny from random weights.
 */
export const DEFAULT_MODEL = defaultModel(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'attn-bert-tiny-cased'));
