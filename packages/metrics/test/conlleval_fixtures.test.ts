/**
 * seqeval's default mode against conlleval itself: fixtures/conlleval.json
 * (written by tools/metrics-fixtures/make_conlleval_fixtures.py by running
 * conlleval.pl on random IOB sequences) holds conlleval's exact phrase counts
 * and its scores printed to two decimals (percent).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seqevalAccuracy, seqevalPrecisionRecallFscoreSupport } from '../src/index';
import { entityCounts } from '../src/seqeval/seqeval_scores';

interface Conll {
  tokens: number;
  truePhrases: number;
  foundPhrases: number;
  correctPhrases: number;
  accuracy: number;
  precision: number;
  recall: number;
  fb1: number;
  perType: Record<string, { precision: number; recall: number; fb1: number; found: number }>;
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/conlleval.json', import.meta.url)), 'utf8')) as {
  cases: { name: string; yTrue: string[][]; yPred: string[][]; conlleval: Conll }[];
};

/** conlleval prints percentages with %6.2f: ours must round to the same value. */
const percentClose = (ours: number, printed: number) => expect(Math.abs(100 * ours - printed)).toBeLessThanOrEqual(0.005 + 1e-9);

describe('seqeval default mode = conlleval', () => {
  it('has cases', () => expect(fixture.cases.length).toBeGreaterThanOrEqual(70));
  for (const c of fixture.cases) {
    it(c.name, () => {
      const e = c.conlleval;
      const counts = entityCounts(c.yTrue, c.yPred, {}, 'test');
      const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
      expect(sum(counts.actual), 'true phrases').toBe(e.truePhrases);
      expect(sum(counts.predicted), 'found phrases').toBe(e.foundPhrases);
      expect(sum(counts.truePositives), 'correct phrases').toBe(e.correctPhrases);
      expect(counts.types).toEqual(Object.keys(e.perType).sort());
      counts.types.forEach((t, i) => expect(counts.predicted[i], `${t} found`).toBe(e.perType[t]!.found));
      const micro = seqevalPrecisionRecallFscoreSupport(c.yTrue, c.yPred, { average: 'micro', zeroDivision: 0 });
      percentClose(micro.precision, e.precision);
      percentClose(micro.recall, e.recall);
      percentClose(micro.fScore, e.fb1);
      percentClose(seqevalAccuracy(c.yTrue, c.yPred), e.accuracy);
      const per = seqevalPrecisionRecallFscoreSupport(c.yTrue, c.yPred, { zeroDivision: 0 });
      per.types.forEach((t, i) => {
        percentClose(per.precision[i]!, e.perType[t]!.precision);
        percentClose(per.recall[i]!, e.perType[t]!.recall);
        percentClose(per.fScore[i]!, e.perType[t]!.fb1);
      });
    });
  }
});
