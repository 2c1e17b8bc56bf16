// The families loadModel knows without a registerFamily() call: one line each.
import type { ModelFamily } from './registry';
import { bert } from './bert/family';
import { roberta } from './roberta/family';
import { electra } from './electra/family';

export const BUILTIN_FAMILIES: readonly ModelFamily[] = [
  bert,
  roberta,
  electra,
];
