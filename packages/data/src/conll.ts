import { DataError } from './data_error';
import { SkipReport, type Loaded, type OnError, type ReaderOptions } from './error_policy';
import { iob1ToIob2 } from './iob';
import { collect, parseLinesWith, streamLinesWith, type LineParser } from './line_reader';
import type { TokenClassificationExample } from './token_classification_example';

export interface ConllOptions extends ReaderOptions {
  /**
   * Column holding the tag: an index (negative counts from the end; default -1, the last column,
   * which is NER in CoNLL-2003's `token POS chunk NER`) or a name from `columns`.
   */
  tagColumn?: number | string;
  /** Column holding the word; default 0. */
  wordColumn?: number | string;
  /** Names for the columns so that tag/word columns can be chosen by name. */
  columns?: readonly string[];
  /** Convert IOB1 tags (original CoNLL-2003 release) to IOB2. */
  iob1ToIob2?: boolean;
  /** Allowed tags; any other tag is a DataError listing these. */
  labels?: readonly string[];
}

class ConllParser implements LineParser<TokenClassificationExample> {
  private words: string[] = [];
  private tags: string[] = [];
  private start = 0;
  private bad: DataError | null = null;
  private readonly file: string;
  private readonly onError: OnError;
  private readonly report: SkipReport;

  constructor(private readonly opts: ConllOptions) {
    this.file = opts.file ?? '<string>';
    this.onError = opts.onError ?? 'throw';
    this.report = opts.report ?? new SkipReport();
  }

  private columnIndex(col: number | string, count: number, role: string, lineNo: number): number {
    if (typeof col === 'number') return col < 0 ? count + col : col;
    const idx = this.opts.columns?.indexOf(col) ?? -1;
    if (idx < 0) {
      throw new DataError(
        { file: this.file, line: lineNo, field: col },
        `unknown ${role} column "${col}"; named columns are ${JSON.stringify(this.opts.columns ?? [])}. Pass \`columns\` or a column index.`,
      );
    }
    return idx;
  }

  push(line: string, lineNo: number): TokenClassificationExample[] {
    const trimmed = line.trim();
    if (trimmed === '') return this.flush();
    if (trimmed.startsWith('-DOCSTART-')) return this.flush();
    if (this.words.length === 0 && this.bad === null) this.start = lineNo;
    if (this.bad) return [];
    const cols = trimmed.split(/\s+/);
    const w = this.columnIndex(this.opts.wordColumn ?? 0, cols.length, 'word', lineNo);
    const t = this.columnIndex(this.opts.tagColumn ?? -1, cols.length, 'tag', lineNo);
    const field = typeof this.opts.tagColumn === 'string' ? this.opts.tagColumn : 'tag';
    if (w < 0 || t < 0 || w >= cols.length || t >= cols.length) {
      this.bad = new DataError(
        { file: this.file, line: lineNo, field },
        `expected a word in column ${w} and a tag in column ${t}, found ${cols.length} column(s): ${JSON.stringify(trimmed)}.`,
      );
      return [];
    }
    const tag = cols[t]!;
    if (this.opts.labels && !this.opts.iob1ToIob2 && !this.opts.labels.includes(tag)) {
      this.bad = new DataError(
        { file: this.file, line: lineNo, field },
        `unknown tag ${JSON.stringify(tag)}; known tags are ${JSON.stringify(this.opts.labels)}. Fix the file or pass the full tag list.`,
      );
      return [];
    }
    this.words.push(cols[w]!);
    this.tags.push(tag);
    return [];
  }

  private flush(): TokenClassificationExample[] {
    const bad = this.bad;
    const words = this.words;
    let tags = this.tags;
    this.words = [];
    this.tags = [];
    this.bad = null;
    if (bad) {
      // A sentence with one bad line is skipped whole: its tags would be misaligned otherwise.
      this.report.handle(bad, this.onError);
      return [];
    }
    if (words.length === 0) return [];
    if (this.opts.iob1ToIob2) {
      tags = iob1ToIob2(tags);
      const labels = this.opts.labels;
      const unknown = labels ? tags.findIndex((tag) => !labels.includes(tag)) : -1;
      if (unknown >= 0) {
        this.report.handle(
          new DataError(
            { file: this.file, line: this.start + unknown, field: 'tag' },
            `unknown tag ${JSON.stringify(tags[unknown])} (after IOB1→IOB2); known tags are ${JSON.stringify(labels)}.`,
          ),
          this.onError,
        );
        return [];
      }
    }
    return [{ words, tags, source: { file: this.file, line: this.start } }];
  }

  end(): TokenClassificationExample[] {
    return this.flush();
  }
}

/** Parses CoNLL column text held in memory (browser-friendly). */
export function parseConll(text: string, opts: ConllOptions = {}): Loaded<TokenClassificationExample> {
  const o = { ...opts, report: opts.report ?? new SkipReport() };
  return parseLinesWith(new ConllParser(o), text, o);
}

/** Streams sentences from a CoNLL column file (Node). */
export function streamConll(path: string, opts: ConllOptions = {}): AsyncGenerator<TokenClassificationExample> {
  const o = { ...opts, file: opts.file ?? path, report: opts.report ?? new SkipReport() };
  return streamLinesWith(new ConllParser(o), path, o);
}

/** Reads a whole CoNLL column file (Node). */
export function readConll(path: string, opts: ConllOptions = {}): Promise<Loaded<TokenClassificationExample>> {
  const report = opts.report ?? new SkipReport();
  return collect(streamConll(path, { ...opts, report }), report);
}
