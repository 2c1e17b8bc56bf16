/**
 * Every case in fixtures/seqeval.json (written by
 * tools/metrics-fixtures/make_seqeval_fixtures.py from seqeval 1.2.2's own
 * code) is recomputed here: numbers to 1e-12, printed reports exactly,
 * performance_measure and entities exactly, and the same warnings.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  getEntities,
  performanceMeasure,
  seqevalClassificationReport,
  seqevalF1,
  seqevalPrecision,
  seqevalPrecisionRecallFscoreSupport,
  seqevalRecall,
  type SchemeName,
  type SeqevalOptions,
} from '../src/index';
import { expectClose, revive, type Outcome } from './fixture_outcome';

interface Case {
  name: string;
  yTrue: string[][];
  yPred: string[][];
  scheme?: SchemeName;
  zeroDivision?: 0 | 1 | 'warn';
  digits?: number;
  expected: Record<string, Outcome | Record<string, Outcome>>;
}

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/seqeval.json', import.meta.url)), 'utf8'),
) as { seqeval: string; cases: Case[] };

const ours = (m: string) => m.replace('`zero_division` parameter', '`zeroDivision` parameter');

function check(outcome: Outcome, compute: (onWarning: (m: string) => void) => unknown, path: string): void {
  if (outcome.error !== undefined) {
    expect(() => compute(() => {}), `${path} should throw like seqeval's ${outcome.error}`).toThrow();
    return;
  }
  const warnings: string[] = [];
  const value = compute((m) => {
    if (!warnings.includes(m)) warnings.push(m);
  });
  if (typeof outcome.value === 'string') expect(value, path).toBe(outcome.value);
  else expectClose(value, revive(outcome.value), path);
  expect(warnings, `${path} warnings`).toEqual((outcome.warnings ?? []).map(ours));
}

describe(`seqeval ${fixture.seqeval} fixtures`, () => {
  it('has cases from seqeval 1.2.2, with warnings of every kind', () => {
    expect(fixture.seqeval).toBe('1.2.2');
    expect(fixture.cases.length).toBeGreaterThanOrEqual(60);
    const all = JSON.stringify(fixture.cases);
    for (const w of ['seems not to be NE tag', 'F-score is ill-defined', 'Precision and F-score are ill-defined']) {
      expect(all).toContain(w);
    }
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const e = c.expected as Record<string, Outcome>;
      check(e.performanceMeasure!, () => performanceMeasure(c.yTrue, c.yPred), 'performanceMeasure');
      check(e.entitiesTrue!, (onWarning) => getEntities(c.yTrue, { onWarning }), 'entitiesTrue');
      check(e.entitiesPred!, (onWarning) => getEntities(c.yPred, { onWarning }), 'entitiesPred');
      if (c.scheme !== undefined && e.strictEntitiesTrue!.error === undefined) {
        // seqeval's Entity tuples: (sentence, type, start, endExclusive), grouped by sentence.
        const spans = getEntities(c.yTrue, { mode: 'strict', scheme: c.scheme, offsets: 'sentence' });
        const bySentence = c.yTrue.map((_, s) =>
          spans.filter((x) => x[3] === s).map(([type, start, end, sent]) => [sent, type, start, end + 1]),
        );
        expect(bySentence, 'strict sentence-relative entities').toEqual(e.strictEntitiesTrue!.value);
      }
      const modes: [string, SeqevalOptions][] = [['default', {}]];
      if (c.scheme !== undefined) modes.push(['strict', { mode: 'strict', scheme: c.scheme }]);
      for (const [name, mode] of modes) {
        const m = c.expected[name] as Record<string, Outcome>;
        const base = { ...mode, zeroDivision: c.zeroDivision ?? 'warn' } as const;
        for (const avg of ['None', 'micro', 'macro', 'weighted'] as const) {
          check(
            m[`prfs.${avg}`]!,
            (onWarning) => {
              const average = avg === 'None' ? null : avg;
              const r = seqevalPrecisionRecallFscoreSupport(c.yTrue, c.yPred, { ...base, average, onWarning });
              return [r.precision, r.recall, r.fScore, r.support];
            },
            `${name}.prfs.${avg}`,
          );
        }
        check(m['f1.micro']!, (onWarning) => seqevalF1(c.yTrue, c.yPred, { ...base, onWarning }), `${name}.f1`);
        check(m['precision.micro']!, (onWarning) => seqevalPrecision(c.yTrue, c.yPred, { ...base, onWarning }), `${name}.precision`);
        check(m['recall.micro']!, (onWarning) => seqevalRecall(c.yTrue, c.yPred, { ...base, onWarning }), `${name}.recall`);
        check(
          m.report!,
          (onWarning) => seqevalClassificationReport(c.yTrue, c.yPred, { ...base, digits: c.digits ?? 2, onWarning }),
          `${name}.report`,
        );
        check(
          m.reportDict!,
          (onWarning) => seqevalClassificationReport(c.yTrue, c.yPred, { ...base, outputDict: true, onWarning }),
          `${name}.reportDict`,
        );
      }
    });
  }
});
