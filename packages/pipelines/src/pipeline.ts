import { loadModel, quantize, type ModelTask } from '@attn/models';
import { loadTokenizer } from './pretrained_tokenizer';
import { defaultModelDir } from './default_model';
import { TextClassificationPipeline, type TextClassificationOptions } from './text_classification_pipeline';
import { TokenClassificationPipeline, type TokenClassificationOptions } from './token_classification_pipeline';
import { QuestionAnsweringPipeline, type QuestionAnsweringOptions } from './question_answering_pipeline';
import { TextGenerationPipeline } from './text_generation_pipeline';

/** Pipeline tasks by their HF names (and aliases), and the model head each needs. */
export const PIPELINE_TASKS = {
  'text-classification': 'sequence-classification',
  'token-classification': 'token-classification',
  ner: 'token-classification',
  'question-answering': 'question-answering',
  'text-generation': 'causal-lm',
} as const satisfies Record<string, ModelTask>;

export type PipelineTask = keyof typeof PIPELINE_TASKS;

export interface PipelineByTask {
  'text-classification': TextClassificationPipeline;
  'token-classification': TokenClassificationPipeline;
  ner: TokenClassificationPipeline;
  'question-answering': QuestionAnsweringPipeline;
  'text-generation': TextGenerationPipeline;
}

export interface PipelineOptionsByTask {
  'text-classification': TextClassificationOptions;
  'token-classification': TokenClassificationOptions;
  ner: TokenClassificationOptions;
  'question-answering': QuestionAnsweringOptions;
  /** Decoding options go to each call (`pipe.call(prompts, { maxNewTokens, ... })`). */
  'text-generation': Record<never, never>;
}

/** How the model is loaded, for every task. */
export interface PipelineLoadOptions {
  /**
   * Dynamic int8 quantization of every Linear layer after loading (`quantize` of @attn/models, as onnxruntime's
   * quantize_dynamic): int8 weights, activations quantized per row at run time. An int8 checkpoint (config.json
   * with quantization_config) loads quantized without it.
   */
  int8?: boolean;
}

/**
 * `await pipeline('text-classification', dir)`: model + tokenizer from an HF-format directory. Without `dir`
 * (or with `undefined`), the task's fine-tuned default from the repository's models/ (`DEFAULT_MODELS`).
 */
export async function pipeline<T extends PipelineTask>(
  task: T,
  dir?: string,
  opts: PipelineOptionsByTask[T] & PipelineLoadOptions = {},
): Promise<PipelineByTask[T]> {
  if (!(task in PIPELINE_TASKS)) throw new TypeError(`Unknown pipeline task "${task}"; known: ${Object.keys(PIPELINE_TASKS).join(', ')}.`);
  dir ??= await defaultModelDir(task);
  const [model, tokenizer] = await Promise.all([loadModel(dir, { task: PIPELINE_TASKS[task] }), loadTokenizer(dir)]);
  if (opts.int8) quantize(model);
  switch (task) {
    case 'text-classification':
      return new TextClassificationPipeline(model, tokenizer, opts as TextClassificationOptions) as PipelineByTask[T];
    case 'token-classification':
    case 'ner':
      return new TokenClassificationPipeline(model, tokenizer, opts as TokenClassificationOptions) as PipelineByTask[T];
    case 'question-answering':
      return new QuestionAnsweringPipeline(model, tokenizer, opts as QuestionAnsweringOptions) as PipelineByTask[T];
    case 'text-generation':
      return new TextGenerationPipeline(model, tokenizer) as PipelineByTask[T];
  }
  throw new TypeError(`Unknown pipeline task "${task}"; known: ${Object.keys(PIPELINE_TASKS).join(', ')}.`);
}
