import { readDelimited, readJsonl, type ClassificationExample, type Loaded, type TextEncoding } from '@attn/data';
import { CliError } from '@attn/cli';

export interface ColumnOptions {
  textColumn: string;
  textPairColumn?: string;
  labelColumn?: string;
  labels?: readonly string[];
  /** How the file's bytes are decoded (default utf8, strict). */
  encoding?: TextEncoding;
}

/** Reads a GLUE-style TSV, a CSV or a JSONL file by its extension; an empty file is an error. */
export async function readClassificationFile(path: string, opts: ColumnOptions): Promise<ClassificationExample[]> {
  let loaded: Loaded<ClassificationExample>;
  if (/\.jsonl?$/i.test(path)) {
    loaded = await readJsonl(path, { textField: opts.textColumn, textPairField: opts.textPairColumn, labelField: opts.labelColumn, labels: opts.labels, encoding: opts.encoding });
  } else {
    loaded = await readDelimited(path, { textColumn: opts.textColumn, textPairColumn: opts.textPairColumn, labelColumn: opts.labelColumn, labels: opts.labels, encoding: opts.encoding });
  }
  if (loaded.examples.length === 0) throw new CliError(`${path}: no examples (the file is empty or has only a header).`);
  return loaded.examples;
}
