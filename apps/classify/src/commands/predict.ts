import { readFile } from 'node:fs/promises';
import { initBackend } from '@attn/tensor';
import { pipeline, type TextClassificationResult } from '@attn/pipelines';
import { assertModelDir, assertModelTask, CliError, readStdin } from '@attn/cli';
import { CLASSIFIER_DIR_MESSAGES } from '../model_source';

export interface PredictOptions {
  model: string;
  texts: string[];
  /** A file with one text per line ('-' reads standard input). */
  file?: string;
  json?: boolean;
  maxLength: number;
  backend?: string;
}

/** Texts → label and probabilities, printed as a table or as JSON lines. */
export async function predict(opts: PredictOptions, print: (s: string) => void = (s) => console.log(s)): Promise<TextClassificationResult[]> {
  assertModelDir(opts.model, CLASSIFIER_DIR_MESSAGES);
  assertModelTask(opts.model, 'sequence-classification', 'classify');
  let texts = [...opts.texts];
  if (opts.file) {
    const content = opts.file === '-' ? await readStdin() : await readFile(opts.file, 'utf8');
    texts.push(...content.split(/\r?\n/).filter((l) => l.trim() !== ''));
  } else if (texts.length === 0 && !process.stdin.isTTY) {
    texts = (await readStdin()).split(/\r?\n/).filter((l) => l.trim() !== '');
  }
  if (texts.length === 0) throw new CliError('predict: no text given; pass texts as arguments, --file FILE, or pipe lines into standard input.');
  await initBackend({ backend: opts.backend as never });
  const pipe = await pipeline('text-classification', opts.model, { maxLength: opts.maxLength });
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
