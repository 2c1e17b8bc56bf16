import type { Command } from 'commander';
import { TEXT_ENCODINGS, type TextEncoding } from '@attn/data';
import { CliError } from './cli_error';

/** Adds `--encoding` to a command that reads the user's text files. */
export function addEncodingOption(cmd: Command): Command {
  return cmd.option('--encoding <utf8|latin1>', 'text encoding of the input files: utf8 (strict: a byte that is not UTF-8 is an error naming file and line) or latin1 (ISO-8859-1)', 'utf8');
}

/** `--encoding` as a TextEncoding; `utf-8`, `latin-1` and `iso-8859-1` are accepted spellings. */
export function encodingFlag(value: string | undefined, flag = '--encoding'): TextEncoding {
  if (value === undefined) return 'utf8';
  const v = value.toLowerCase().replace(/^utf-8$/, 'utf8').replace(/^(latin-1|iso-8859-1|iso8859-1)$/, 'latin1');
  if ((TEXT_ENCODINGS as readonly string[]).includes(v)) return v as TextEncoding;
  throw new CliError(`${flag} must be ${TEXT_ENCODINGS.join(' or ')}; got ${JSON.stringify(value)}.`);
}
