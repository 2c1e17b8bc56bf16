import { Command } from 'commander';
import { registerEval } from './commands/eval';
import { registerPredict } from './commands/predict';
import { registerTrain } from './commands/train';
import { registerServe } from './commands/serve';
import { registerExportCommand } from '@attn/cli';

/** The `attn-ner` command tree; cli.ts runs it, tests call parseAsync on a fresh one. */
/** `configure` runs before the subcommands are added, so they inherit it (tests: exitOverride, configureOutput). */
export function createProgram(configure?: (program: Command) => void): Command {
  const program = new Command('attn-ner')
    .description('attn sample app: named-entity recognition (train / eval / predict with an HF-format BERT directory)')
    .showHelpAfterError();
  configure?.(program);
  registerTrain(program);
  registerEval(program);
  registerPredict(program);
  registerServe(program);
  registerExportCommand(program, { app: 'ner', task: 'token-classification' });
  return program;
}
