import type { Command } from 'commander';
import type { OnError } from '@attn/data';
import { CliError } from './cli_error';

/** `--on-error <throw|skip>` (default throw): what the readers do with a malformed record; `what` says which, for the help. */
export function addOnErrorOption(cmd: Command, what: string): Command {
  return cmd.option('--on-error <throw|skip>', `${what}: stop with one line saying where, or skip them and count them`, 'throw');
}

/** `--on-error` checked: throw or skip, else one line naming the flag. */
export function onErrorFlag(value: unknown): OnError {
  if (value === 'throw' || value === 'skip') return value;
  throw new CliError(`--on-error must be throw or skip; got ${JSON.stringify(value)}.`);
}
