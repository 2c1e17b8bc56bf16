import { readSquad, SkipReport, type OnError, type QaExample, type TextEncoding } from '@attn/data';
import { CliError } from '@attn/cli';

/** Reads a SQuAD JSON file; skipped questions are counted on stderr. */
export async function readSquadFile(path: string, onError: OnError, limit = 0, encoding: TextEncoding = 'utf8'): Promise<QaExample[]> {
  const loaded = await readSquad(path, { onError, report: new SkipReport(3), encoding });
  if (loaded.skipped > 0) process.stderr.write(`${path}: skipped ${loaded.skipped} bad question(s); first: ${loaded.errors[0]?.message}\n`);
  return limit > 0 ? loaded.examples.slice(0, limit) : loaded.examples;
}

/**
 * Splits by article (title), never inside one: the last `devArticles` articles in file order become
 * dev, so no paragraph is seen in both halves.
 */
export function splitByArticle(examples: readonly QaExample[], devArticles: number, file: string): { train: QaExample[]; dev: QaExample[] } {
  const titles = [...new Set(examples.map((e) => e.title))];
  if (!Number.isInteger(devArticles) || devArticles < 1 || devArticles >= titles.length) {
    throw new CliError(`--dev-split-articles must be 1..${titles.length - 1} (${file} holds ${titles.length} articles); got ${devArticles}.`);
  }
  const dev = new Set(titles.slice(titles.length - devArticles));
  return { train: examples.filter((e) => !dev.has(e.title)), dev: examples.filter((e) => dev.has(e.title)) };
}
