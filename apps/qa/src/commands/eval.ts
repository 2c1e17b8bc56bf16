import { writeFileDurableSync } from '@attn/tensor/durable_write';
import type { Command } from 'commander';
import { prepareQaEvalFeatures, questionMatchTypeId } from '@attn/data';
import { assertTrainedModelDir, encodingFlag, loadTrainedModel, numberFlag, registerEvalCommand, startBackend, onErrorFlag } from '@attn/cli';
import { addWindowOptions, windowFlags } from '../window_flags';
import { readSquadFile } from '../squad_file';
import { evaluateSquad } from '../squad_evaluation';

export interface QaEvalFlags {
  model: string;
  data: string;
  onError: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  sentencePrior?: string;
  nBest: string;
  limit: string;
  predictionsOut?: string;
  json?: boolean;
  /** How the SQuAD file is decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

/** SQuAD v1.1 EM / F1 of a trained model on a SQuAD JSON file. */
export async function evalQa(flags: QaEvalFlags): Promise<{ exactMatch: number; f1: number; predictions: Record<string, string> }> {
  assertTrainedModelDir(flags.model, 'question-answering', 'qa');
  const { maxLength, stride, maxAnswerLength, sentencePrior } = windowFlags(flags, flags.model);
  const nBest = numberFlag('n-best', flags.nBest, { int: true, min: 1 });
  const limit = numberFlag('limit', flags.limit, { int: true, min: 0 });
  const encoding = encodingFlag(flags.encoding);
  const onError = onErrorFlag(flags.onError);
  await startBackend(flags.backend);
  const { model, tokenizer } = await loadTrainedModel(flags.model, 'question-answering', { int8: flags.int8 });
  try {
    const examples = await readSquadFile(flags.data, onError, limit, encoding);
    const features = prepareQaEvalFeatures(tokenizer, examples, { maxLength, stride, questionMatchTypeId: questionMatchTypeId(model.config, `${flags.model}/config.json`) });
    const r = evaluateSquad(model, tokenizer, examples, features, { nBest, maxAnswerLength, sentencePrior });
    const predictions = Object.fromEntries(r.predictions.map((p) => [p.id, p.text]));
    if (flags.predictionsOut) writeFileDurableSync(flags.predictionsOut, JSON.stringify(predictions, null, 2) + '\n');
    if (flags.json) process.stdout.write(JSON.stringify({ questions: examples.length, windows: features.length, exact_match: r.exactMatch, f1: r.f1 }) + '\n');
    else process.stdout.write(`${flags.data}: ${examples.length} questions (${features.length} windows): EM ${r.exactMatch.toFixed(2)}  F1 ${r.f1.toFixed(2)}\n`);
    return { exactMatch: r.exactMatch, f1: r.f1, predictions };
  } finally {
    model.dispose();
  }
}

export function registerEval(program: Command): void {
  registerEvalCommand<QaEvalFlags>(program, {
    description: 'SQuAD v1.1 exact match and F1 of a trained model (n-best post-processing over doc-stride windows)',
    dataHelp: 'SQuAD JSON with gold answers',
    options: (cmd) =>
      addWindowOptions(cmd)
        .option('--n-best <n>', 'start / end candidates per window', '20')
        .option('--limit <n>', 'only the first n questions (0 = all)', '0')
        .option('--predictions-out <file>', 'write {id: answer} JSON (the official script\'s input)'),
    badInput: 'bad questions',
    run: evalQa,
  });
}
