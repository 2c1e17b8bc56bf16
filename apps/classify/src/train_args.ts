import { CommanderError } from 'commander';
import { CliError } from '@attn/cli';
import { createProgram } from './program';
import { resolveTrainConfig, type ClassifyTrainFlags, type TrainConfig } from './train_config';

/**
 * The settings `attn-classify train <args>` would run with, parsed by the train command itself
 * (defaults, --config, checks), without training: for tests and tools. A usage error is a CliError.
 */
export async function parseTrainArgs(args: readonly string[]): Promise<TrainConfig> {
  let cfg: TrainConfig | undefined;
  const program = createProgram((p) => p.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }));
  program.commands.find((c) => c.name() === 'train')!.action((flags: ClassifyTrainFlags) => void (cfg = resolveTrainConfig(flags)));
  try {
    await program.parseAsync(['node', 'attn-classify', 'train', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) throw new CliError(e.message.replace(/^error: /, ''));
    throw e;
  }
  return cfg!;
}
