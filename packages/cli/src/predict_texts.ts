import { readTextFile, type TextEncoding } from '@attn/data';
import { CliError } from './cli_error';
import { readStdin } from './read_stdin';

export interface PredictTextsOptions {
  /** One text per line; '-' reads standard input. */
  file?: string;
  encoding?: TextEncoding;
  /** What the app does to a text, for the messages: 'label', 'tag'. */
  verb: string;
}

/**
 * The texts of `predict`: its arguments and the lines of --file, else the lines piped on standard
 * input. Blank lines of a file separate nothing and are skipped; a blank argument, or no text at
 * all, is a CliError (a model would otherwise label the empty string).
 */
export async function predictTexts(args: readonly string[], opts: PredictTextsOptions): Promise<string[]> {
  const blank = args.findIndex((t) => t.trim() === '');
  if (blank >= 0) {
    throw new CliError(`text argument ${blank + 1}${args.length > 1 ? ` of ${args.length}` : ''} is ${args[blank] === '' ? 'empty' : 'only whitespace'}; there is nothing to ${opts.verb}.`);
  }
  const texts = [...args];
  let source: string | undefined;
  if (opts.file !== undefined) {
    source = opts.file === '-' ? 'standard input' : `--file ${opts.file}`;
    texts.push(...lines(opts.file === '-' ? await readStdin(process.stdin, opts.encoding) : await readTextFile(opts.file, { encoding: opts.encoding })));
  } else if (texts.length === 0 && !process.stdin.isTTY) {
    source = 'standard input';
    texts.push(...lines(await readStdin(process.stdin, opts.encoding)));
  }
  if (texts.length === 0) {
    throw new CliError(source ? `${source}: no text to ${opts.verb} (every line is empty or whitespace).` : `no text to ${opts.verb}: pass texts as arguments, --file FILE (one text per line), or pipe lines into standard input.`);
  }
  return texts;
}

function lines(content: string): string[] {
  return content.split(/\r?\n/).filter((l) => l.trim() !== '');
}
