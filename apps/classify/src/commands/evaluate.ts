import { initBackend } from '@attn/tensor';
import { pipeline } from '@attn/pipelines';
import { readClassificationFile, type ColumnOptions } from '../classification_file';
import { evaluateExamples, writeEvaluation } from '../evaluation_report';
import { assertModelDir, assertModelTask } from '@attn/cli';
import { CLASSIFIER_DIR_MESSAGES } from '../model_source';

export interface EvaluateOptions extends ColumnOptions {
  model: string;
  data: string;
  maxLength: number;
  backend?: string;
}

/** A saved model on a labelled file → classification report and confusion matrix (SVG beside the model). */
export async function evaluate(opts: EvaluateOptions, print: (s: string) => void = (s) => console.log(s)): Promise<number> {
  assertModelDir(opts.model, CLASSIFIER_DIR_MESSAGES);
  assertModelTask(opts.model, 'sequence-classification', 'classify');
  await initBackend({ backend: opts.backend as never });
  const pipe = await pipeline('text-classification', opts.model, { maxLength: opts.maxLength });
  try {
    const examples = await readClassificationFile(opts.data, { ...opts, labels: pipe.labels });
    const result = evaluateExamples(pipe, examples);
    await writeEvaluation('eval', result, pipe.labels, opts.model, print);
    print(`accuracy ${result.accuracy.toFixed(4)} on ${examples.length} examples`);
    return result.accuracy;
  } finally {
    pipe.dispose();
  }
}
