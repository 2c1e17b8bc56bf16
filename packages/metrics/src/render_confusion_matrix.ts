import { MetricsInputError } from './metrics_error';
import { alignLeft, alignRight, codePointLength } from './python_format';

export interface RenderConfusionMatrixOptions {
  matrix: readonly (readonly number[])[];
  labels: readonly (string | number)[];
  /** Decimal places for non-integer (normalised) cells. Default 2. */
  digits?: number;
}

/**
 * The confusion matrix as a plain-text table for terminals and logs: rows are
 * true labels, columns predicted labels, with row and column totals for counts.
 */
export function renderConfusionMatrix(options: RenderConfusionMatrixOptions): string {
  const { matrix, labels } = options;
  const n = labels.length;
  if (matrix.length !== n || matrix.some((r) => r.length !== n)) {
    throw new MetricsInputError('renderConfusionMatrix', 'options.matrix', `expected a ${n}x${n} matrix to match ${n} labels`);
  }
  const digits = options.digits ?? 2;
  const counts = matrix.every((r) => r.every((v) => Number.isInteger(v)));
  const fmt = (v: number) => (counts ? String(v) : v.toFixed(digits));
  const names = labels.map(String);
  const rowTotals = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = names.map((_, j) => matrix.reduce((a, r) => a + r[j]!, 0));
  const header = ['true \\ pred', ...names, ...(counts ? ['total'] : [])];
  const body = matrix.map((r, i) => [names[i]!, ...r.map(fmt), ...(counts ? [String(rowTotals[i])] : [])]);
  const rows = [header, ...body];
  if (counts) rows.push(['total', ...colTotals.map(String), String(rowTotals.reduce((a, b) => a + b, 0))]);
  const widths = header.map((_, c) => Math.max(...rows.map((r) => codePointLength(r[c]!))));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? alignLeft(cell, widths[c]!) : alignRight(cell, widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule, ...body.map(line)];
  if (counts) out.push(rule, line(rows[rows.length - 1]!));
  return out.join('\n') + '\n';
}
