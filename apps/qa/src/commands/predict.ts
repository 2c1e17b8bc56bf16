import type { Command } from 'commander';
import { readTextFile } from '@attn/data';
import { pipeline, type AnswerSpan } from '@attn/pipelines';
import { INT8_FLAG_HELP, addEncodingOption, assertTrainedModelDir, backendOption, CliError, encodingFlag, runCommand, startBackend } from '@attn/cli';
import { addWindowOptions, windowFlags } from '../window_flags';

export interface QaPredictFlags {
  model: string;
  question: string;
  context?: string;
  contextFile?: string;
  topK: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  sentencePrior?: string;
  json?: boolean;
  /** How --context-file is decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

export async function predictQa(flags: QaPredictFlags): Promise<AnswerSpan[]> {
  const topK = Number(flags.topK);
  if (!Number.isInteger(topK) || topK < 1) throw new CliError(`--top-k must be a positive integer; got ${JSON.stringify(flags.topK)}.`);
  if ((flags.context === undefined) === (flags.contextFile === undefined)) throw new CliError('pass the context as --context <text> or --context-file <file> (one of the two).');
  // A blank question or context has no answer span (the pipeline's own message names no flag).
  if (flags.question.trim() === '') throw new CliError(`--question is ${flags.question === '' ? 'empty' : 'only whitespace'}; ask a question about the context.`);
  if (flags.context !== undefined && flags.context.trim() === '') throw new CliError(`--context is ${flags.context === '' ? 'empty' : 'only whitespace'}; pass the text that holds the answer.`);
  // Longer contexts are split into windows of at most the model's positions: no upper bound to check.
  const windows = windowFlags(flags);
  const encoding = encodingFlag(flags.encoding);
  assertTrainedModelDir(flags.model, 'question-answering', 'qa');
  const context = flags.context ?? (await readTextFile(flags.contextFile!, { encoding }));
  if (context.trim() === '') throw new CliError(`--context-file ${flags.contextFile}: no text (the file is empty or only whitespace); pass the text that holds the answer.`);
  await startBackend(flags.backend);
  const qa = await pipeline('question-answering', flags.model, { ...windows, int8: flags.int8 });
  try {
    const [answers] = qa.predict([{ question: flags.question, context }], { topK });
    if (flags.json) process.stdout.write(JSON.stringify(topK === 1 ? answers![0] : answers) + '\n');
    else for (const a of answers!) process.stdout.write(`${a.score.toFixed(4)}  [${a.start}, ${a.end})  ${a.answer}\n`);
    return answers!;
  } finally {
    qa.dispose();
  }
}

export function registerPredict(program: Command): void {
  const cmd = program
    .command('predict')
    .description('answer a question from a context of any length (overlapping windows are merged)')
    .requiredOption('--model <dir>', 'trained model directory')
    .requiredOption('--question <text>', 'the question')
    .option('--context <text>', 'the context')
    .option('--context-file <file>', 'read the context from a file')
    .option('--top-k <n>', 'number of answers, best first', '1');
  addWindowOptions(cmd)
    .option('--json', 'print {answer, start, end, score} (an array with --top-k > 1)')
    .option('--int8', INT8_FLAG_HELP)
    .addOption(backendOption());
  addEncodingOption(cmd).action((opts: QaPredictFlags) => runCommand(async () => void (await predictQa(opts))));
}
