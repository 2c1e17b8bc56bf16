// The families loadModel knows without a registerFamily() call: one line each.
import type { ModelFamily } from './registry';
import { bert } from './bert/family';
import { roberta } from './roberta/family';
import { gpt2 } from './gpt2/family';
import { llama } from './llama/family';
import { electra } from './electra/family';
import { distilbert } from './distilbert/family';
import { albert } from './albert/family';

export const BUILTIN_FAMILIES: readonly ModelFamily[] = [
  bert,
  roberta,
  gpt2,
  llama,
  electra,
  distilbert,
  albert,
];
