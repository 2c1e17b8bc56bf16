import { pipeline } from '@attn/pipelines';
import { readClassificationFile, type ColumnOptions } from '../classification_file';
import { evaluateExamples, writeEvaluation } from '../evaluation_report';
import { assertModelDir, assertModelTask, encodingFlag, maxLengthFlag, startBackend } from '@attn/cli';
import { CLASSIFIER_DIR_MESSAGES } from '../model_source';

export interface EvaluateOptions extends Omit<ColumnOptions, 'encoding' | 'labels'> {
  model: string;
  data: string;
  /** Tokens per text: at most the model's max_position_embeddings (flag text or number). */
  maxLength: number | string;
  /** utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

/** A saved model on a labelled file → classification report and confusion matrix (SVG beside the model). */
export async function evaluate(opts: EvaluateOptions, print: (s: string) => void = (s) => console.log(s)): Promise<number> {
  assertModelDir(opts.model, CLASSIFIER_DIR_MESSAGES);
  assertModelTask(opts.model, 'sequence-classification', 'classify');
  const maxLength = maxLengthFlag(opts.maxLength, { model: opts.model });
  const encoding = encodingFlag(opts.encoding);
  await startBackend(opts.backend);
  const pipe = await pipeline('text-classification', opts.model, { maxLength, int8: opts.int8 });
  try {
    const examples = await readClassificationFile(opts.data, { ...opts, labels: pipe.labels, encoding });
    const result = evaluateExamples(pipe, examples);
    await writeEvaluation('eval', result, pipe.labels, opts.model, print);
    print(`accuracy ${result.accuracy.toFixed(4)} on ${examples.length} examples`);
    return result.accuracy;
  } finally {
    pipe.dispose();
  }
}
