import { pipeline, type TextClassificationResult } from '@attn/pipelines';
import { assertModelDir, assertModelTask, encodingFlag, maxLengthFlag, predictTexts, startBackend } from '@attn/cli';
import { CLASSIFIER_DIR_MESSAGES } from '../model_source';

export interface PredictOptions {
  model: string;
  texts: string[];
  /** A file with one text per line ('-' reads standard input). */
  file?: string;
  json?: boolean;
  /** Tokens per text: at most the model's max_position_embeddings (flag text or number). */
  maxLength: number | string;
  /** How --file or standard input is decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

/** Texts → label and probabilities, printed as a table or as JSON lines. */
export async function predict(opts: PredictOptions, print: (s: string) => void = (s) => console.log(s)): Promise<TextClassificationResult[]> {
  assertModelDir(opts.model, CLASSIFIER_DIR_MESSAGES);
  assertModelTask(opts.model, 'sequence-classification', 'classify');
  const maxLength = maxLengthFlag(opts.maxLength, { model: opts.model });
  const texts = await predictTexts(opts.texts, { file: opts.file, encoding: encodingFlag(opts.encoding), verb: 'label' });
  await startBackend(opts.backend);
  const pipe = await pipeline('text-classification', opts.model, { maxLength, int8: opts.int8 });
  try {
    const results = pipe.predict(texts);
    results.forEach((r, i) => {
      if (opts.json) print(JSON.stringify({ text: texts[i], label: r.label, score: r.score, scores: r.scores }));
      else print(`${r.label.padEnd(10)} ${r.score.toFixed(3)}  ${texts[i]}`);
    });
    return results;
  } finally {
    pipe.dispose();
  }
}
