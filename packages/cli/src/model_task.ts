import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelTask } from '@attn/models';
import { CliError } from './cli_error';

/** HF head class suffixes (any family: Bert…, Roberta…, DistilBert…) and the task each one does. */
const HEAD_SUFFIXES: ReadonlyArray<[suffix: string, task: string]> = [
  ['ForSequenceClassification', 'sequence-classification'],
  ['ForTokenClassification', 'token-classification'],
  ['ForQuestionAnswering', 'question-answering'],
  ['ForMaskedLM', 'masked-language'],
  ['ForPreTraining', 'pretraining (masked-language and next-sentence)'],
  ['ForCausalLM', 'causal-language'],
  ['ForMultipleChoice', 'multiple-choice'],
  ['ForNextSentencePrediction', 'next-sentence-prediction'],
];

/**
 * Refuses a model directory whose config.json `architectures` name a head for another task
 * (`ner predict` with a sentiment model), in one line: what the model is and what `app` needs.
 * A config without `architectures` passes (nothing to tell); a bare encoder (BertModel) does not.
 */
export function assertModelTask(dir: string, task: ModelTask, app: string, flag = '--model'): void {
  let architectures: unknown;
  try {
    architectures = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { architectures?: unknown }).architectures;
  } catch {
    return; // a missing or broken config.json is reported by the loader, naming the file
  }
  if (!Array.isArray(architectures) || architectures.length === 0) return;
  const names = architectures.filter((a): a is string => typeof a === 'string');
  const tasks = names.map((name) => HEAD_SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1]);
  if (tasks.includes(task)) return;
  const found = tasks.find((t) => t !== undefined);
  const what = found ? `a ${found} model` : 'a model without a task head';
  throw new CliError(`${flag} ${dir} is ${what} (${names.join(', ')}); ${app} needs a ${task} model.`);
}
