import type { Command } from 'commander';
import { backendOption } from './backend_flag';
import { runCommand } from './cli_error';
import { addEncodingOption } from './encoding_flag';
import { addOnErrorOption } from './on_error_flag';
import { INT8_FLAG_HELP } from './serve_command';

export interface EvalCommandSpec<F> {
  description: string;
  /** Help of --data, the labelled file the model is scored on. */
  dataHelp: string;
  /** Help of --model (default: a trained model directory and what it holds). */
  modelHelp?: string;
  /** The task's own options, after --model and --data. */
  options?: (command: Command) => Command;
  /** What --on-error skips, e.g. 'malformed sentences or unknown tags'. */
  badInput: string;
  /** Scores the model (the app's eval function). */
  run: (flags: F) => Promise<unknown>;
}

/**
 * Adds `eval` to an app's program: --model and --data, the task's options, then the flags every eval shares
 * (--json, --int8, --backend, --on-error, --encoding); errors are one line (runCommand).
 */
export function registerEvalCommand<F>(program: Command, spec: EvalCommandSpec<F>): Command {
  const command = program
    .command('eval')
    .description(spec.description)
    .requiredOption('--model <dir>', spec.modelHelp ?? 'trained model directory (config.json, model.safetensors, tokenizer.json)')
    .requiredOption('--data <file>', spec.dataHelp);
  spec.options?.(command);
  command
    .option('--json', 'print the metrics as one JSON line')
    .option('--int8', INT8_FLAG_HELP)
    .addOption(backendOption());
  addEncodingOption(addOnErrorOption(command, spec.badInput)).action((flags: F) => runCommand(async () => void (await spec.run(flags))));
  return command;
}
