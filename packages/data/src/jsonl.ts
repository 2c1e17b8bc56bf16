import { DataError } from './data_error';
import { SkipReport, type Loaded, type OnError, type ReaderOptions } from './error_policy';
import type { ClassificationExample } from './classification_example';
import { collect, parseLinesWith, streamLinesWith, type LineParser } from './line_reader';

export interface JsonlOptions extends ReaderOptions {
  /** Field holding the text; a dotted path such as 'meta.text' reaches into nested objects. */
  textField: string;
  textPairField?: string;
  labelField?: string;
  /** Allowed label values (compared as strings); any other value is a DataError listing these. */
  labels?: readonly string[];
}

function lookup(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

class JsonlParser implements LineParser<ClassificationExample> {
  private readonly file: string;
  private readonly onError: OnError;
  private readonly report: SkipReport;

  constructor(private readonly opts: JsonlOptions) {
    this.file = opts.file ?? '<string>';
    this.onError = opts.onError ?? 'throw';
    this.report = opts.report ?? new SkipReport();
  }

  push(line: string, lineNo: number): ClassificationExample[] {
    if (line.trim() === '') return [];
    const fail = (field: string | undefined, problem: string): [] => {
      this.report.handle(new DataError({ file: this.file, line: lineNo, field }, problem), this.onError);
      return [];
    };
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      return fail(undefined, `not valid JSON (${(e as Error).message}). Each line must hold one JSON object.`);
    }
    const str = (field: string): string | null => {
      const v = lookup(obj, field);
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return null;
    };
    const text = str(this.opts.textField);
    if (text === null) return fail(this.opts.textField, `missing text field "${this.opts.textField}" (or not a string).`);
    const ex: ClassificationExample = { text, source: { file: this.file, line: lineNo } };
    if (this.opts.textPairField !== undefined) {
      const pair = str(this.opts.textPairField);
      if (pair === null) return fail(this.opts.textPairField, `missing text-pair field "${this.opts.textPairField}".`);
      ex.textPair = pair;
    }
    if (this.opts.labelField !== undefined) {
      const label = str(this.opts.labelField);
      if (label === null) return fail(this.opts.labelField, `missing label field "${this.opts.labelField}".`);
      if (this.opts.labels && !this.opts.labels.includes(label)) {
        return fail(this.opts.labelField, `unknown label ${JSON.stringify(label)}; known labels are ${JSON.stringify(this.opts.labels)}.`);
      }
      ex.label = label;
    }
    return [ex];
  }

  end(): ClassificationExample[] {
    return [];
  }
}

/** Parses JSON Lines text held in memory (browser-friendly). */
export function parseJsonl(text: string, opts: JsonlOptions): Loaded<ClassificationExample> {
  const o = { ...opts, report: opts.report ?? new SkipReport() };
  return parseLinesWith(new JsonlParser(o), text, o);
}

/** Streams a JSON Lines file (Node). */
export function streamJsonl(path: string, opts: JsonlOptions): AsyncGenerator<ClassificationExample> {
  const o = { ...opts, file: opts.file ?? path, report: opts.report ?? new SkipReport() };
  return streamLinesWith(new JsonlParser(o), path, o);
}

/** Reads a whole JSON Lines file (Node). */
export function readJsonl(path: string, opts: JsonlOptions): Promise<Loaded<ClassificationExample>> {
  const report = opts.report ?? new SkipReport();
  return collect(streamJsonl(path, { ...opts, report }), report);
}
