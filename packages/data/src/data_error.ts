/** Where a piece of data came from, so an error can point a person at it. */
export interface SourceLocation {
  /** File path, or a name such as '<string>' for in-memory input. */
  file: string;
  /** 1-based line number, when the format has lines. */
  line?: number;
  /** Column name or JSON path of the offending field. */
  field?: string;
}

/**
 * Bad input data: a missing column, an unknown label, an answer that is not where it says, an
 * empty dataset. The message always names file, line and field, and says what to do.
 */
export class DataError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(where: SourceLocation, problem: string) {
    super(`${formatLocation(where)}: ${problem}`);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

function formatLocation(where: SourceLocation): string {
  let s = where.file;
  if (where.line !== undefined) s += `:${where.line}`;
  if (where.field !== undefined) s += ` (field "${where.field}")`;
  return s;
}
