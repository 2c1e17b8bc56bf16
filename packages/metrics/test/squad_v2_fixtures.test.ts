/**
 * fixtures/squad_v2.json (tools/metrics-fixtures/make_squad_v2_fixtures.py,
 * from transformers' port of the official evaluate-v2.0.py): per-question
 * EM/F1, per-answer scores and the totals must agree to 1e-12.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { squadV2, squadV2Exact, squadV2F1, squadV2RawScores } from '../src/index';

interface Case {
  name: string;
  references: Record<string, string[]>;
  predictions: Record<string, string>;
  noAnswerProbabilities: Record<string, number> | null;
  expected: {
    exact: Record<string, number>;
    f1: Record<string, number>;
    total: Record<string, number>;
    pairs: [string, string, number, number][];
  };
}
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/squad_v2.json', import.meta.url)), 'utf8'),
) as { cases: Case[] };

const closeRecord = (actual: Record<string, number | undefined>, expected: Record<string, number>) => {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(Math.abs(actual[k]! - v), k).toBeLessThanOrEqual(1e-12);
};

describe('SQuAD v2 against the official script (transformers port)', () => {
  it('has cases with and without no-answer probabilities', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(20);
    expect(fixture.cases.some((c) => c.noAnswerProbabilities !== null)).toBe(true);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const raw = squadV2RawScores(c.predictions, c.references);
      closeRecord(raw.exact, c.expected.exact);
      closeRecord(raw.f1, c.expected.f1);
      for (const [gold, pred, exact, f1] of c.expected.pairs) {
        expect(squadV2Exact(gold, pred), `exact(${gold}, ${pred})`).toBe(exact);
        expect(Math.abs(squadV2F1(gold, pred) - f1), `f1(${gold}, ${pred})`).toBeLessThanOrEqual(1e-12);
      }
      const total = squadV2(c.predictions, c.references, c.noAnswerProbabilities ? { noAnswerProbabilities: c.noAnswerProbabilities } : {});
      closeRecord(total as unknown as Record<string, number>, c.expected.total);
    });
  }
});
