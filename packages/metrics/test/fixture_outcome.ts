/** What the Python-fixture tests share: an outcome as the generators write it, and the comparison of numbers. */
import { expect } from 'vitest';

/** One Python call: its value (or the error it raised) and the warnings it emitted (tools/metrics-fixtures/fixture_json.py). */
export interface Outcome {
  value?: unknown;
  error?: string;
  message?: string;
  warnings?: string[];
}

/** JSON stores NaN/Infinity as strings; turn them back into numbers. */
export function revive(x: unknown): unknown {
  if (x === 'NaN') return Number.NaN;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  if (Array.isArray(x)) return x.map(revive);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, revive(v)]));
  return x;
}

/** Deep comparison with numbers within 1e-12 (NaN equals NaN); `onDiff` sees every numeric difference. */
export function expectClose(actual: unknown, expected: unknown, path: string, onDiff: (d: number) => void = () => {}): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const a = actual as number;
    if (Number.isNaN(expected)) {
      expect(Number.isNaN(a), `${path}: expected NaN, got ${a}`).toBe(true);
      return;
    }
    const d = Math.abs(a - expected);
    onDiff(d);
    expect(d, `${path}: expected ${expected}, got ${a}`).toBeLessThanOrEqual(1e-12);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`, onDiff));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`, onDiff);
    return;
  }
  expect(actual, path).toEqual(expected);
}
