/**
 * Every case in fixtures/sklearn.json (written by
 * tools/metrics-fixtures/make_sklearn_fixtures.py from scikit-learn 1.9.1) is
 * recomputed here: numbers must agree to 1e-12, printed reports exactly, and
 * the warnings (UndefinedMetricWarning, single label) must be the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accuracyScore,
  classificationReport,
  confusionMatrix,
  matthewsCorrcoef,
  precisionRecallFscoreSupport,
  type Average,
  type Label,
  type ZeroDivision,
} from '../src/index';
import { expectClose, revive, type Outcome } from './fixture_outcome';

interface Case {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  labels?: Label[];
  targetNames?: string[];
  zeroDivision?: ZeroDivision | 'nan';
  beta?: number;
  digits?: number;
  posLabel?: Label;
  expected: {
    accuracy: Outcome;
    prfs: Record<string, Outcome>;
    report: Record<string, Outcome>;
    reportDict: Outcome;
    confusionMatrix: Record<string, Outcome>;
    matthews: Outcome;
  };
}

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/sklearn.json', import.meta.url)), 'utf8'),
) as { sklearn: string; cases: Case[] };

let maxAbsDiff = 0;
let usedNaN = false;
const close = (actual: unknown, expected: unknown, path: string) =>
  expectClose(actual, expected, path, (d) => (maxAbsDiff = Math.max(maxAbsDiff, d)));

/** sklearn's warning text with its parameter names spelled as ours. */
function ours(message: string): string {
  return message
    .replace('`zero_division` parameter', '`zeroDivision` parameter')
    .replace("'y_true' and 'y_pred'", "'yTrue' and 'yPred'")
    .replace("'labels' parameter", "'labels' option");
}

/** Runs `compute` with a fresh warning sink; returns its result and the distinct warnings sklearn also raises. */
function withWarnings<T>(compute: (onWarning: (m: string) => void) => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const value = compute((m) => {
    // The target-names mismatch is a plain UserWarning the generator does not record.
    if (!m.startsWith('labels size') && !warnings.includes(m)) warnings.push(m);
  });
  return { value, warnings };
}

function check(outcome: Outcome, compute: (onWarning: (m: string) => void) => unknown, path: string): void {
  if (outcome.error !== undefined) {
    expect(() => compute(() => {}), `${path} should throw like sklearn's ${outcome.error}: ${outcome.message}`).toThrow();
    return;
  }
  const { value, warnings } = withWarnings(compute);
  close(value, revive(outcome.value), path);
  expect(warnings, `${path} warnings`).toEqual((outcome.warnings ?? []).map(ours));
}

describe(`sklearn ${fixture.sklearn} fixtures`, () => {
  it('has a meaningful number of cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(150);
  });

  for (const c of fixture.cases) {
    const zeroDivision: ZeroDivision = c.zeroDivision === 'nan' ? Number.NaN : (c.zeroDivision ?? 'warn');
    it(c.name, () => {
      const e = c.expected;
      check(e.accuracy, () => accuracyScore(c.yTrue, c.yPred), 'accuracy');
      if (c.zeroDivision === 'nan') usedNaN = true;
      for (const [avgKey, outcome] of Object.entries(e.prfs)) {
        const average = (avgKey === 'None' ? null : avgKey) as Average;
        check(
          outcome,
          (onWarning) => {
            const r = precisionRecallFscoreSupport(c.yTrue, c.yPred, {
              labels: average === 'binary' ? undefined : c.labels,
              average,
              zeroDivision,
              beta: c.beta ?? 1,
              posLabel: average === 'binary' ? c.posLabel : undefined,
              onWarning,
            });
            return [r.precision, r.recall, r.fScore, r.support];
          },
          `prfs.${avgKey}`,
        );
      }
      for (const [digits, outcome] of Object.entries(e.report)) {
        const compute = (onWarning: (m: string) => void) =>
          classificationReport(c.yTrue, c.yPred, {
            labels: c.labels,
            targetNames: c.targetNames,
            digits: Number(digits),
            zeroDivision,
            onWarning,
          });
        if (outcome.error !== undefined) expect(() => compute(() => {})).toThrow();
        else {
          const { value, warnings } = withWarnings(compute);
          // character for character, not close
          expect(value, `report digits=${digits}`).toBe(outcome.value);
          expect(warnings, `report digits=${digits} warnings`).toEqual((outcome.warnings ?? []).map(ours));
        }
      }
      check(
        e.reportDict,
        (onWarning) =>
          classificationReport(c.yTrue, c.yPred, {
            labels: c.labels,
            targetNames: c.targetNames,
            outputDict: true,
            zeroDivision,
            onWarning,
          }),
        'reportDict',
      );
      for (const [norm, outcome] of Object.entries(e.confusionMatrix)) {
        const normalize = norm === 'None' ? undefined : (norm as 'true' | 'pred' | 'all');
        check(
          outcome,
          (onWarning) => confusionMatrix(c.yTrue, c.yPred, { labels: c.labels, normalize, onWarning }).matrix,
          `cm.${norm}`,
        );
      }
      check(e.matthews, (onWarning) => matthewsCorrcoef(c.yTrue, c.yPred, { onWarning }), 'matthews');
    });
  }

  it('agrees bit for bit on every number (numpy summation order reproduced)', () => {
    expect(maxAbsDiff).toBe(0);
  });

  it('was made with scikit-learn 1.9 and covers zeroDivision NaN and the warnings', () => {
    expect(fixture.sklearn).toMatch(/^1\.9\./);
    expect(usedNaN).toBe(true);
    const all = JSON.stringify(fixture.cases);
    expect(all).toContain('F-score is ill-defined and being set to 0.0');
    expect(all).toContain('A single label was found');
  });
});
