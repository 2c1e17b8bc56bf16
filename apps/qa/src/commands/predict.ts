import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { initBackend, type BackendName } from '@attn/tensor';
import { pipeline, type AnswerSpan } from '@attn/pipelines';
import { assertModelDir, assertModelTask, CliError, presetModelDirMessages, runCommand } from '@attn/cli';

export interface QaPredictFlags {
  model: string;
  question: string;
  context?: string;
  contextFile?: string;
  topK: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  json?: boolean;
  backend?: string;
}

export async function predictQa(flags: QaPredictFlags): Promise<AnswerSpan[]> {
  const topK = Number(flags.topK);
  if (!Number.isInteger(topK) || topK < 1) throw new CliError(`--top-k must be a positive integer; got ${JSON.stringify(flags.topK)}.`);
  if ((flags.context === undefined) === (flags.contextFile === undefined)) throw new CliError('pass the context as --context <text> or --context-file <file> (one of the two).');
  const context = flags.context ?? readFileSync(flags.contextFile!, 'utf8');
  assertModelDir(flags.model, presetModelDirMessages(flags.model));
  assertModelTask(flags.model, 'question-answering', 'qa');
  await initBackend({ backend: flags.backend as BackendName | undefined });
  const qa = await pipeline('question-answering', flags.model, { maxLength: Number(flags.maxLength), stride: Number(flags.stride), maxAnswerLength: Number(flags.maxAnswerLength) });
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
  program
    .command('predict')
    .description('answer a question from a context of any length (overlapping windows are merged)')
    .requiredOption('--model <dir>', 'trained model directory')
    .requiredOption('--question <text>', 'the question')
    .option('--context <text>', 'the context')
    .option('--context-file <file>', 'read the context from a file')
    .option('--top-k <n>', 'number of answers, best first', '1')
    .option('--max-length <n>', 'tokens per window', '384')
    .option('--stride <n>', 'tokens shared by consecutive windows', '128')
    .option('--max-answer-length <n>', 'longest answer in tokens', '30')
    .option('--json', 'print {answer, start, end, score} (an array with --top-k > 1)')
    .option('--backend <name>', 'wasm or cpu (default: the best available)')
    .action((opts: QaPredictFlags) => runCommand(async () => void (await predictQa(opts))));
}
