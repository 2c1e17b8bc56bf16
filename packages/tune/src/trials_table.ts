// The trials of a study as a plain-text table: number, state, value, parameters, per-step values.
import type { FrozenTrial } from './frozen_trial';
import type { CategoricalChoice, SearchSpace } from './search_space';

/** Short, readable number: 4 significant digits, exponent form for very small or large values. */
export function formatValue(v: CategoricalChoice | undefined): string {
  if (v === undefined) return '-';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

export interface TrialsTableOptions {
  /** Mark this trial (the best) with '*'. */
  best?: number;
  /** Show at most this many intermediate values per trial (the last ones). Default 6. */
  maxSteps?: number;
}

export function trialsTable(trials: readonly FrozenTrial[], space: SearchSpace, options: TrialsTableOptions = {}): string {
  const names = Object.keys(space);
  const maxSteps = options.maxSteps ?? 6;
  const header = ['#', 'state', 'value', ...names, 'per step'];
  const rows = trials.map((t) => {
    const steps = t.intermediate.slice(-maxSteps).map((v) => formatValue(v.value));
    const state = t.interrupted ? `interrupted→#${t.retriedAs ?? '?'}` : t.state;
    return [
      `${t.number}${options.best === t.number ? '*' : ''}`,
      state,
      t.state === 'complete' ? formatValue(t.value) : t.state === 'pruned' ? `(${formatValue(t.value)})` : '-',
      ...names.map((n) => formatValue(t.params[n])),
      (t.intermediate.length > maxSteps ? '… ' : '') + steps.join(' '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
