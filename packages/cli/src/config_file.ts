import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { decodeBytes } from '@attn/data';
import { CliError } from './cli_error';

/**
 * A `--config` JSON file: an object of settings keyed as the flags in camelCase (`batchSize` for
 * `--batch-size`). Decoded strictly, as the data files; an unknown key, bad JSON or a non-object is
 * one line naming the file.
 */
export function readConfigFile(path: string, known: readonly string[]): Record<string, unknown> {
  let text: string;
  try {
    text = decodeBytes(readFileSync(path), path);
  } catch (e) {
    // decodeBytes' own messages start with the file name; a read error (ENOENT, ...) does not.
    throw new CliError(`--config ${(e as Error).message.startsWith(path) ? '' : `${path}: `}${(e as Error).message}`);
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (e) {
    throw new CliError(`--config ${path}: ${(e as Error).message}`);
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new CliError(`--config ${path}: expected a JSON object of settings, found ${JSON.stringify(settings)?.slice(0, 60)}.`);
  }
  const unknown = Object.keys(settings).filter((k) => !known.includes(k));
  if (unknown.length) throw new CliError(`--config ${path}: unknown keys ${unknown.join(', ')}; known: ${known.join(', ')}.`);
  return settings as Record<string, unknown>;
}

/**
 * Adds `--config <file>` to `cmd`: a JSON file that sets any of the command's other options
 * (command-line flags win over the file, the file over defaults; a required flag may come from the
 * file). Values are handed on as the command line would: numbers as text, switches as booleans.
 */
export function addConfigOption(cmd: Command): Command {
  const option = new Option('--config <file>', 'JSON file of settings keyed as the flags in camelCase (batchSize for --batch-size); flags on the command line win').argParser((path: string) => {
    try {
      applyConfigFile(cmd, path);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      // Read while commander parses, outside runCommand: the same one line and exit code 1, without the help.
      cmd.showHelpAfterError(false);
      cmd.error(`error: ${e.message}`);
    }
    return path;
  });
  return cmd.addOption(option);
}

function applyConfigFile(cmd: Command, path: string): void {
  const options = new Map(cmd.options.filter((o) => o.long !== '--config').map((o) => [o.attributeName(), o]));
  const settings = readConfigFile(path, [...options.keys()]);
  for (const [key, value] of Object.entries(settings)) {
    // Typed on the command line before --config: the flag wins (one typed after it overwrites the file's value).
    if (cmd.getOptionValueSource(key) === 'cli') continue;
    const option = options.get(key)!;
    const takesValue = option.required || option.optional;
    let v: unknown = value;
    if (takesValue && typeof value === 'number' && Number.isFinite(value)) v = String(value);
    const ok = typeof v === 'boolean' ? !option.required : takesValue && typeof v === 'string';
    if (!ok) throw new CliError(`--config ${path}: "${key}" (--${option.long!.slice(2)}) must be ${option.required ? 'a string or number' : option.optional ? 'a string, number or boolean' : 'true or false'}; got ${JSON.stringify(value)}.`);
    cmd.setOptionValueWithSource(key, v, 'config');
  }
}
