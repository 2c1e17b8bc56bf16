import { readDelimited, readJsonl, type ClassificationExample, type Loaded, type TextEncoding } from '@attn/data';
import { CliError } from '@attn/cli';

export interface ColumnOptions {
  textColumn: string;
  textPairColumn?: string;
  labelColumn?: string;
  /**
   * The label names (a model's id2label in id order): the file may hold them or their ids 0..n-1, as
   * GLUE files do; ids are read as the names. Any other label is an error naming the line.
   */
  labels?: readonly string[];
  /** How the file's bytes are decoded (default utf8, strict). */
  encoding?: TextEncoding;
}

/** Reads a GLUE-style TSV, a CSV or a JSONL file by its extension; an empty file is an error. */
export async function readClassificationFile(path: string, opts: ColumnOptions): Promise<ClassificationExample[]> {
  const names = opts.labels;
  const ids = names?.map((_, i) => String(i)).filter((id) => !names.includes(id)) ?? [];
  const labels = names && [...names, ...ids];
  let loaded: Loaded<ClassificationExample>;
  if (/\.jsonl?$/i.test(path)) {
    loaded = await readJsonl(path, { textField: opts.textColumn, textPairField: opts.textPairColumn, labelField: opts.labelColumn, labels, encoding: opts.encoding });
  } else {
    loaded = await readDelimited(path, { textColumn: opts.textColumn, textPairColumn: opts.textPairColumn, labelColumn: opts.labelColumn, labels, encoding: opts.encoding });
  }
  if (loaded.examples.length === 0) throw new CliError(`${path}: no examples (the file is empty or has only a header).`);
  if (names && ids.length) for (const e of loaded.examples) if (ids.includes(e.label!)) e.label = names[Number(e.label)]!;
  return loaded.examples;
}
