import type { Command } from 'commander';
import { registerEval } from './commands/eval';
import { registerPredict } from './commands/predict';
import { registerTrain } from './commands/train';
import { registerServe } from './commands/serve';
import { registerTune } from './commands/tune';
import { appProgram, registerExportCommand } from '@attn/cli';

/** The `attn-ner` command tree; cli.ts runs it, tests call parseAsync on a fresh one (`configure` first: exitOverride, configureOutput). */
export function createProgram(configure?: (program: Command) => void): Command {
  return appProgram('attn-ner', 'attn sample app: named-entity recognition (train / eval / predict with an HF-format BERT directory)', configure, [registerTrain, registerTune, registerEval, registerPredict, registerServe, (program) => registerExportCommand(program, { app: 'ner', task: 'token-classification' })]);
}
