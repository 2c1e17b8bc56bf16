import { Command } from 'commander';

/** Adds one subcommand (or a group) to an app's command tree: `registerTrain`, `registerServe`, ... */
export type CommandRegistrar = (program: Command) => void;

/**
 * An app's command tree (`attn-ner`, `attn-qa`, ...): `configure` runs before the subcommands are
 * added, so they inherit it (tests: exitOverride, configureOutput); cli.ts parses a fresh one, tests too.
 */
export function appProgram(name: string, description: string, configure: CommandRegistrar | undefined, commands: readonly CommandRegistrar[]): Command {
  const program = new Command(name).description(description).showHelpAfterError();
  configure?.(program);
  for (const register of commands) register(program);
  return program;
}
