import type { Command } from 'commander';
import { pipeline } from '@attn/pipelines';
import { questionAnsweringPredictor } from '@attn/serve';
import { assertTrainedModelDir, CliError, registerServeCommand, type ServeFlags } from '@attn/cli';
import { addWindowOptions, windowFlags } from '../window_flags';

export interface QaServeFlags extends ServeFlags {
  topK: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  sentencePrior?: string;
}

/** `attn-qa serve`: the reader behind POST /predict until SIGTERM or SIGINT. */
export function registerServe(program: Command): void {
  registerServeCommand<QaServeFlags>(program, {
    description: 'serve the reader over HTTP: POST /predict {"question","context"} or {"inputs": [...]} (same JSON as predict --json), GET /health, GET /model',
    items: 'questions',
    maxTextLengthHelp: 'longest accepted question or context, in characters',
    options: (command) => addWindowOptions(command.option('--top-k <n>', 'answers per question, best first (an array when > 1)', '1')),
    validate: (flags) => {
      const topK = Number(flags.topK);
      if (!Number.isInteger(topK) || topK < 1) throw new CliError(`--top-k must be a positive integer; got ${JSON.stringify(flags.topK)}.`);
      assertTrainedModelDir(flags.model, 'question-answering', 'qa');
      windowFlags(flags);
    },
    makePredictor: async (flags) => {
      const qa = await pipeline('question-answering', flags.model, { ...windowFlags(flags), int8: flags.int8 });
      return { predictor: questionAnsweringPredictor(qa, { topK: Number(flags.topK) }), dispose: () => qa.dispose() };
    },
  });
}
