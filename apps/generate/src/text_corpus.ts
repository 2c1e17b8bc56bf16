import { readLines } from '@attn/data';
import { CliError } from '@attn/cli';

/**
 * The texts of a corpus file: `.jsonl` gives each record's `field`; any other file gives its lines, each with
 * its line break kept (HF run_clm's keep_linebreaks), empty lines skipped. Files are strict UTF-8.
 */
export async function readCorpus(path: string, field = 'text'): Promise<string[]> {
  const texts: string[] = [];
  let n = 0;
  for await (const line of readLines(path)) {
    n++;
    if (line.trim() === '') continue;
    if (!path.endsWith('.jsonl')) {
      texts.push(`${line}\n`);
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new CliError(`${path}:${n}: not JSON (${(e as Error).message}); a .jsonl corpus has one {"${field}": "..."} object per line.`);
    }
    const t = (record as Record<string, unknown> | null)?.[field];
    if (typeof t !== 'string') throw new CliError(`${path}:${n}: no string field "${field}"; pass --text-field with the field that holds the text.`);
    texts.push(t);
  }
  if (texts.length === 0) throw new CliError(`${path}: no text in it.`);
  return texts;
}
