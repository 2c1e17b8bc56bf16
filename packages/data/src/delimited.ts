import { DataError } from './data_error';
import { SkipReport, type Loaded, type OnError, type ReaderOptions } from './error_policy';
import type { ClassificationExample } from './classification_example';
import { collect, parseLinesWith, streamLinesWith, type LineParser } from './line_reader';

/**
 * GLUE-style delimited files. 'tsv' splits on TAB with no quoting (as GLUE's own loaders do);
 * 'csv' follows RFC 4180: quoted fields, "" for a quote, newlines inside quotes.
 */
export type DelimitedFormat = 'tsv' | 'csv';

export interface DelimitedOptions extends ReaderOptions {
  /** Default: 'csv' when the file name ends in .csv, else 'tsv'. */
  format?: DelimitedFormat;
  /** Column holding the text (e.g. 'sentence' for SST-2). */
  textColumn: string;
  /** Column holding the second text of a pair task (e.g. 'question2' for QQP). */
  textPairColumn?: string;
  /** Column holding the label; omit for unlabelled data. */
  labelColumn?: string;
  /** Allowed label values; any other value is a DataError listing these. */
  labels?: readonly string[];
  /** Column names for a file without a header line; default: the first line is the header. */
  columns?: readonly string[];
}

/** Splits one CSV record that may span several lines; keeps its state between lines. */
class CsvRecordSplitter {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private started = false;

  /** Returns the fields when the record is complete, or null when a quoted field continues. */
  push(line: string): string[] | null {
    if (this.inQuotes) this.field += '\n';
    this.started = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (this.inQuotes) {
        if (c === '"') {
          if (line[i + 1] === '"') {
            this.field += '"';
            i++;
          } else this.inQuotes = false;
        } else this.field += c;
      } else if (c === '"' && this.field === '') this.inQuotes = true;
      else if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
      } else this.field += c;
    }
    if (this.inQuotes) return null;
    this.fields.push(this.field);
    const out = this.fields;
    this.fields = [];
    this.field = '';
    this.started = false;
    return out;
  }

  get open(): boolean {
    return this.started && this.inQuotes;
  }
}

class DelimitedParser implements LineParser<ClassificationExample> {
  private header: string[] | null;
  private textIdx = -1;
  private pairIdx = -1;
  private labelIdx = -1;
  private readonly csv: CsvRecordSplitter | null;
  private recordStart = 0;
  private readonly file: string;
  private readonly onError: OnError;
  private readonly report: SkipReport;

  constructor(private readonly opts: DelimitedOptions, format: DelimitedFormat) {
    this.file = opts.file ?? '<string>';
    this.onError = opts.onError ?? 'throw';
    this.report = opts.report ?? new SkipReport();
    this.csv = format === 'csv' ? new CsvRecordSplitter() : null;
    this.header = null;
    if (opts.columns) this.setHeader([...opts.columns], 0);
  }

  private setHeader(names: string[], lineNo: number): void {
    this.header = names.map((n) => n.trim());
    const find = (name: string | undefined, role: string): number => {
      if (name === undefined) return -1;
      const idx = this.header!.indexOf(name);
      if (idx < 0) {
        throw new DataError(
          { file: this.file, line: lineNo || undefined, field: name },
          `missing ${role} column "${name}"; the header has ${JSON.stringify(this.header)}. Pass the right column name.`,
        );
      }
      return idx;
    };
    this.textIdx = find(this.opts.textColumn, 'text');
    this.pairIdx = find(this.opts.textPairColumn, 'text-pair');
    this.labelIdx = find(this.opts.labelColumn, 'label');
  }

  push(line: string, lineNo: number): ClassificationExample[] {
    let fields: string[] | null;
    if (this.csv) {
      if (!this.csv.open) this.recordStart = lineNo;
      fields = this.csv.push(line);
      if (fields === null) return [];
    } else {
      this.recordStart = lineNo;
      fields = line.split('\t');
    }
    if (this.header === null) {
      this.setHeader(fields, lineNo);
      return [];
    }
    if (fields.length === 1 && fields[0]!.trim() === '') return [];
    const ex = this.toExample(fields, this.recordStart);
    return ex ? [ex] : [];
  }

  private toExample(fields: string[], line: number): ClassificationExample | null {
    const header = this.header!;
    if (fields.length !== header.length) {
      this.report.handle(
        new DataError(
          { file: this.file, line },
          `expected ${header.length} fields (${header.join(', ')}), found ${fields.length}. ` +
            `Check the delimiter (format 'tsv' vs 'csv') and quoting.`,
        ),
        this.onError,
      );
      return null;
    }
    // GLUE files end every SST-2 sentence with a space before the TAB.
    const text = fields[this.textIdx]!.trim();
    const ex: ClassificationExample = { text, source: { file: this.file, line } };
    if (this.pairIdx >= 0) ex.textPair = fields[this.pairIdx]!.trim();
    if (this.labelIdx >= 0) {
      const label = fields[this.labelIdx]!.trim();
      const known = this.opts.labels;
      if (label === '' || (known && !known.includes(label))) {
        this.report.handle(
          new DataError(
            { file: this.file, line, field: this.opts.labelColumn },
            `unknown label ${JSON.stringify(label)}; known labels are ${JSON.stringify(known ?? [])}. ` +
              `Fix the row or pass the full label list.`,
          ),
          this.onError,
        );
        return null;
      }
      ex.label = label;
    }
    return ex;
  }

  end(): ClassificationExample[] {
    if (this.csv?.open) {
      this.report.handle(
        new DataError({ file: this.file, line: this.recordStart }, 'a quoted field is never closed before the end of the file.'),
        this.onError,
      );
    }
    return [];
  }
}

function formatFor(opts: DelimitedOptions): DelimitedFormat {
  return opts.format ?? (opts.file?.toLowerCase().endsWith('.csv') ? 'csv' : 'tsv');
}

/** Parses TSV/CSV text held in memory (browser-friendly). */
export function parseDelimited(text: string, opts: DelimitedOptions): Loaded<ClassificationExample> {
  const report = opts.report ?? new SkipReport();
  const o = { ...opts, report };
  return parseLinesWith(new DelimitedParser(o, formatFor(o)), text, o);
}

/** Streams a TSV/CSV file row by row (Node). */
export function streamDelimited(path: string, opts: DelimitedOptions): AsyncGenerator<ClassificationExample> {
  const o = { ...opts, file: opts.file ?? path, report: opts.report ?? new SkipReport() };
  return streamLinesWith(new DelimitedParser(o, formatFor(o)), path, o);
}

/** Reads a whole TSV/CSV file (Node). */
export function readDelimited(path: string, opts: DelimitedOptions): Promise<Loaded<ClassificationExample>> {
  const report = opts.report ?? new SkipReport();
  return collect(streamDelimited(path, { ...opts, report }), report);
}
