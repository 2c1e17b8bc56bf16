import { describe, expect, it } from 'vitest';
import { MetricsOptionError } from './metrics_error';
import { f1Score, fbetaScore, precisionRecallFscoreSupport, precisionScore, recallScore } from './precision_recall_fscore';
import { matthewsCorrcoef } from './matthews';

// Hand-computed: y_true 0 1 2 0 1 2, y_pred 0 2 1 0 0 1 (sklearn's f1_score docstring).
const yTrue = [0, 1, 2, 0, 1, 2];
const yPred = [0, 2, 1, 0, 0, 1];

describe('single-score functions', () => {
  it('match the sklearn docstring values', () => {
    expect(f1Score(yTrue, yPred, { average: 'macro' })).toBeCloseTo(0.26666666666666666, 15);
    expect(f1Score(yTrue, yPred, { average: 'micro' })).toBeCloseTo(1 / 3, 15);
    expect(f1Score(yTrue, yPred, { average: 'weighted' })).toBeCloseTo(0.26666666666666666, 15);
    expect(precisionScore(yTrue, yPred, { average: 'macro', onWarning: () => {} })).toBeCloseTo(2 / 9, 15);
    expect(recallScore(yTrue, yPred, { average: 'macro' })).toBeCloseTo(1 / 3, 15);
  });
  it("default to average='binary' with posLabel 1, as sklearn", () => {
    // tp=2 (idx 1,3), fp=1 (idx 4), fn=1 (idx 2)
    expect(f1Score([0, 1, 1, 1, 0], [0, 1, 0, 1, 1])).toBeCloseTo(2 / 3, 15);
    expect(f1Score([0, 1, 1, 1, 0], [0, 1, 0, 1, 1], { posLabel: 0 })).toBeCloseTo(0.5, 15);
    expect(() => f1Score(yTrue, yPred)).toThrow(/multiclass/);
  });
  it('F-beta weighs recall beta times as much as precision', () => {
    // p = 2/3, r = 2/3 → any beta gives 2/3; use p=1, r=0.5
    expect(fbetaScore([1, 1, 0], [1, 0, 0], { beta: 2 })).toBeCloseTo((5 * 1 * 0.5) / (4 * 1 + 0.5), 15);
    expect(fbetaScore([1, 1, 0], [1, 0, 0], { beta: Infinity })).toBe(0.5);
  });
  it('validates options with typed errors', () => {
    expect(() => precisionRecallFscoreSupport([0, 1], [0, 1], { beta: -1 })).toThrow(MetricsOptionError);
    expect(() => precisionRecallFscoreSupport([0, 1], [0, 1], { zeroDivision: 2 as 0 })).toThrow(MetricsOptionError);
    expect(() => precisionRecallFscoreSupport([0, 1], [0, 1], { average: 'samples' as 'micro' })).toThrow(MetricsOptionError);
    expect(() => precisionRecallFscoreSupport([0, 1], [0, 1], { labels: ['a'] })).toThrow(/labels are string/);
  });
  it("'warn' reports the ill-defined metric and returns 0", () => {
    const warnings: string[] = [];
    const r = precisionRecallFscoreSupport([0, 0], [0, 0], { labels: [0, 1], onWarning: (m) => warnings.push(m) });
    expect(r.precision).toEqual([1, 0]);
    expect(warnings.join(' ')).toMatch(/Precision is ill-defined/);
  });
});

describe('matthewsCorrcoef', () => {
  it('is 1 for perfect, -1 for inverted binary, 0 for constant predictions', () => {
    expect(matthewsCorrcoef([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0);
    // sklearn docstring: [+1, +1, +1, -1] vs [+1, -1, +1, +1] → -0.333...
    expect(matthewsCorrcoef([1, 1, 1, -1], [1, -1, 1, 1])).toBeCloseTo(-1 / 3, 15);
  });
});
