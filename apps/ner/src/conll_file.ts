import { LabelMap, readConll, SkipReport, type OnError, type TextEncoding, type TokenClassificationExample } from '@attn/data';
import type { Command } from 'commander';
import { CliError } from '@attn/cli';

export interface ConllFileOptions {
  /** Column index (negative counts from the end) or a name from `columns`. */
  tagColumn: string;
  columns?: string;
  /** 'iob1' converts to IOB2 (a no-op on IOB2 input); 'iob2' keeps the tags as written. */
  inputScheme: 'iob1' | 'iob2';
  onError: OnError;
  /** The known tag set (a trained model's labels): any other tag is an error naming file and line. */
  labels?: LabelMap;
  /** Use at most this many sentences (0 = all). */
  limit?: number;
  /** How the file's bytes are decoded (default utf8, strict). */
  encoding?: TextEncoding;
}

/** --tag-column, --columns and --input-scheme: how a command reads CoNLL column files. */
export function addConllOptions(cmd: Command): Command {
  return cmd
    .option('--tag-column <col>', 'tag column: index (negative from the end) or a name from --columns', '-1')
    .option('--columns <names>', 'comma-separated column names, e.g. word,pos,chunk,ner')
    .option('--input-scheme <iob1|iob2>', 'tag scheme of the files; iob1 is converted to IOB2 (harmless on IOB2 input)', 'iob1');
}

/** `--input-scheme` checked at start-up: iob1 or iob2, else one line naming the flag. */
export function inputSchemeFlag(value: string): 'iob1' | 'iob2' {
  if (value !== 'iob1' && value !== 'iob2') throw new CliError(`--input-scheme must be iob1 or iob2; got ${JSON.stringify(value)}.`);
  return value;
}

/** `--tag-column 3` or `--tag-column ner` (with `--columns word,pos,chunk,ner`). */
function column(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** Reads a CoNLL file; skipped sentences are counted on stderr; an empty result is an error. */
export async function readConllFile(path: string, opts: ConllFileOptions): Promise<TokenClassificationExample[]> {
  const report = new SkipReport(3);
  const loaded = await readConll(path, {
    tagColumn: column(opts.tagColumn),
    columns: opts.columns ? opts.columns.split(',').map((c) => c.trim()) : undefined,
    iob1ToIob2: opts.inputScheme === 'iob1',
    labels: opts.labels?.labels,
    onError: opts.onError,
    report,
    encoding: opts.encoding,
  });
  if (loaded.skipped > 0) {
    process.stderr.write(`${path}: skipped ${loaded.skipped} bad sentence(s); first: ${loaded.errors[0]?.message}\n`);
  }
  if (loaded.examples.length === 0) throw new CliError(`${path}: no sentences (the file is empty or holds only -DOCSTART- lines).`);
  if (!opts.labels) checkIobTags(loaded.examples);
  return opts.limit && opts.limit > 0 ? loaded.examples.slice(0, opts.limit) : loaded.examples;
}

const IOB_TAG = /^(O|[BIES]-.+)$/;

/**
 * Training derives the tag set from the data, so a line missing its tag column (the word would be
 * read as the tag) must be caught here rather than become a label.
 */
function checkIobTags(examples: readonly TokenClassificationExample[]): void {
  for (const ex of examples) {
    const i = ex.tags.findIndex((t) => !IOB_TAG.test(t));
    if (i >= 0) {
      const line = ex.source.line !== undefined ? `:${ex.source.line + i}` : '';
      throw new CliError(
        `${ex.source.file}${line}: tag ${JSON.stringify(ex.tags[i])} (word ${JSON.stringify(ex.words[i])}) is not an IOB tag (O, B-TYPE, I-TYPE); ` +
          'the line may lack its tag column, or --tag-column points at the wrong column.',
      );
    }
  }
}
