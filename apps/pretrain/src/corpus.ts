import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readGutenbergParagraphs } from '@attn/data';
import { CliError } from '@attn/cli';

/** The pretraining text: a folder of Project Gutenberg books (one held out) plus extra task text. */
export interface CorpusSpec {
  /** Folder of `.txt` books (Project Gutenberg files; header and footer are stripped). */
  dir: string;
  /** File-name prefix of the held-out book(s), e.g. `pg84` (Frankenstein). */
  holdout: string;
  /** Only the first N training books (small runs). */
  maxBooks?: number;
  /** More training text: SST-2 `.tsv`, SQuAD `.json`, CoNLL column files, plain text. */
  extra: string[];
  /** The last N SQuAD articles are the QA app's dev split: never pretrained on. */
  squadDevArticles: number;
}

/** The corpus folder's books, split into training books and the held-out one(s), in file-name order. */
export function corpusBooks(spec: CorpusSpec): { train: string[]; heldOut: string[] } {
  let files: string[];
  try {
    files = readdirSync(spec.dir).filter((f) => f.endsWith('.txt')).sort();
  } catch (e) {
    throw new CliError(`--corpus ${spec.dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}; pass a folder of .txt books.`);
  }
  const heldOut = files.filter((f) => f.startsWith(`${spec.holdout}-`) || f === `${spec.holdout}.txt`);
  let train = files.filter((f) => !heldOut.includes(f));
  if (spec.maxBooks !== undefined) train = train.slice(0, spec.maxBooks);
  if (train.length === 0) throw new CliError(`--corpus ${spec.dir}: no training book (.txt other than the held-out --holdout ${spec.holdout}).`);
  if (heldOut.length === 0) throw new CliError(`--holdout ${spec.holdout}: no book in ${spec.dir} starts with "${spec.holdout}-"; pass the prefix of the book to hold out.`);
  return { train: train.map((f) => join(spec.dir, f)), heldOut: heldOut.map((f) => join(spec.dir, f)) };
}

/** Paragraphs of the given books, then of the extra files. */
export async function corpusTexts(books: readonly string[], extra: readonly string[], squadDevArticles: number): Promise<string[]> {
  const texts: string[] = [];
  for (const f of books) texts.push(...(await readGutenbergParagraphs(f)));
  for (const e of extra) texts.push(...extraTexts(e, { squadDevArticles }));
  return texts;
}

/**
 * Paragraphs of one extra text file — the unlabelled text of the fine-tuning tasks' training splits:
 * - `.tsv` (GLUE SST-2 layout): the text before the last TAB of every row after the header;
 * - `.json` (SQuAD v1.1): the contexts of every article but the last `squadDevArticles` (the QA app's
 *   default dev split takes the last articles in file order);
 * - CoNLL column files (a `-DOCSTART-` line, one token per line): one paragraph per sentence;
 * - anything else: one paragraph per non-empty line.
 */
export function extraTexts(file: string, opts: { squadDevArticles?: number } = {}): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--extra ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (file.endsWith('.tsv')) {
    const rows = text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
    return rows.map((l) => (l.includes('\t') ? l.slice(0, l.lastIndexOf('\t')) : l).trim()).filter(Boolean);
  }
  if (file.endsWith('.json')) {
    let data: unknown;
    try {
      data = (JSON.parse(text) as { data?: unknown }).data;
    } catch (e) {
      throw new CliError(`--extra ${file}: not JSON (${(e as Error).message}).`);
    }
    if (!Array.isArray(data)) throw new CliError(`--extra ${file}: expected SQuAD JSON with a "data" array.`);
    const keep = data.slice(0, Math.max(0, data.length - (opts.squadDevArticles ?? 6))) as Array<{ paragraphs?: Array<{ context?: unknown }> }>;
    return keep.flatMap((a, i) =>
      (a.paragraphs ?? []).map((p, j) => {
        if (typeof p.context !== 'string') throw new CliError(`--extra ${file}: data[${i}].paragraphs[${j}].context is not a string.`);
        return p.context;
      }),
    );
  }
  if (/^-DOCSTART-/m.test(text.slice(0, 4096))) {
    const sentences: string[] = [];
    let words: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('-DOCSTART-')) {
        if (words.length) sentences.push(words.join(' '));
        words = [];
      } else words.push(t.split(/\s+/)[0]!);
    }
    if (words.length) sentences.push(words.join(' '));
    return sentences;
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
