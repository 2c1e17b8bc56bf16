import { loadModel, type BertTask } from '@attn/models';
import { loadTokenizer } from './pretrained_tokenizer';
import { TextClassificationPipeline, type TextClassificationOptions } from './text_classification_pipeline';

/** Pipeline tasks by their HF names, and the model head each needs. */
export const PIPELINE_TASKS = {
  'text-classification': 'sequence-classification',
} as const satisfies Record<string, BertTask>;

export type PipelineTask = keyof typeof PIPELINE_TASKS;

export interface PipelineByTask {
  'text-classification': TextClassificationPipeline;
}

/** `await pipeline('text-classification', dir)`: model + tokenizer from an HF-format directory. */
export async function pipeline<T extends PipelineTask>(task: T, dir: string, opts: TextClassificationOptions = {}): Promise<PipelineByTask[T]> {
  const [model, tokenizer] = await Promise.all([loadModel(dir, { task: PIPELINE_TASKS[task] }), loadTokenizer(dir)]);
  switch (task) {
    case 'text-classification':
      return new TextClassificationPipeline(model, tokenizer, opts) as PipelineByTask[T];
  }
  throw new TypeError(`Unknown pipeline task "${task}"; known: ${Object.keys(PIPELINE_TASKS).join(', ')}.`);
}
