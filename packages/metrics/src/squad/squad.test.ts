import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../metrics_error';
import { squadExactMatch, squadTokenF1, squadV1 } from './squad_v1';
import { squadV2 } from './squad_v2';

describe('per-answer EM and F1', () => {
  it('EM compares normalised strings', () => {
    expect(squadExactMatch('The Denver Broncos', 'denver broncos')).toBe(1);
    expect(squadExactMatch('Denver', 'denver broncos')).toBe(0);
  });
  it('F1 is a bag-of-tokens overlap after normalisation', () => {
    // pred: cat sat on mat / gold: cat sat on hat → 3 common of 4 and 4
    expect(squadTokenF1('the cat sat on the mat', 'a cat sat on a hat')).toBe(0.75);
    // repeated tokens count once per gold occurrence: p=1/3, r=1
    expect(squadTokenF1('cat cat cat', 'cat')).toBe(0.5);
    expect(squadTokenF1('dog', 'cat')).toBe(0);
    expect(squadTokenF1('', 'cat')).toBe(0);
  });
});

describe('squadV1', () => {
  const references = {
    q1: ['Denver Broncos', 'The Denver Broncos'],
    q2: ['Santa Clara, California'],
    q3: ['1990'],
  };
  it('takes the max over gold answers and averages in percent', () => {
    const r = squadV1({ q1: 'denver broncos', q2: 'Santa Clara', q3: 'in 1990 and 1991' }, references);
    // q1: EM 1, F1 1; q2: F1 2*(1*2/3)/(5/3) = 0.8; q3: p=1/4, r=1 → 0.4
    expect(r.exact_match).toBeCloseTo(100 / 3, 12);
    expect(r.f1).toBeCloseTo((100 * 2.2) / 3, 12);
  });
  it('counts a missing prediction as 0 but keeps it in the total', () => {
    const missing: string[] = [];
    const r = squadV1({ q1: 'Denver Broncos' }, references, { onMissing: (id) => missing.push(id) });
    expect(r.exact_match).toBeCloseTo(100 / 3, 12);
    expect(r.f1).toBeCloseTo(100 / 3, 12);
    expect(missing).toEqual(['q2', 'q3']);
  });
  it('rejects a question without gold answers', () => {
    expect(() => squadV1({ q: 'x' }, { q: [] })).toThrow(MetricsInputError);
  });
});

describe('squadV2', () => {
  const references = { a: ['Paris'], b: [], c: ['blue sky'], d: [] };
  const predictions = { a: 'Paris', b: '', c: 'sky', d: 'London' };
  it('scores no-answer questions by abstention and splits HasAns / NoAns', () => {
    const r = squadV2(predictions, references);
    // exact: a 1, b 1 (empty = empty), c 0, d 0; f1: a 1, b 1, c 2/3, d 0
    expect(r.exact).toBe(50);
    expect(r.f1).toBeCloseTo((100 * (2 + 2 / 3)) / 4, 12);
    expect(r.total).toBe(4);
    expect(r.HasAns_exact).toBe(50);
    expect(r.HasAns_f1).toBeCloseTo((100 * (1 + 2 / 3)) / 2, 12);
    expect(r.HasAns_total).toBe(2);
    expect(r.NoAns_exact).toBe(50);
    expect(r.NoAns_f1).toBe(50);
    expect(r.NoAns_total).toBe(2);
    expect(r.best_exact).toBeUndefined();
  });
  it('finds the best no-answer thresholds as the official script', () => {
    const noAnswerProbabilities = { a: 0.1, b: 0.9, c: 0.3, d: 0.8 };
    const r = squadV2(predictions, references, { noAnswerProbabilities });
    // start at 2 (both NoAns right); a +1 → 3 @0.1; c +0 (EM) / +2/3 (F1) @0.3; d −1; b 0
    expect(r.best_exact).toBe(75);
    expect(r.best_exact_thresh).toBe(0.1);
    expect(r.best_f1).toBeCloseTo((100 * (3 + 2 / 3)) / 4, 12);
    expect(r.best_f1_thresh).toBe(0.3);
    // a threshold of 0.5 turns d and b into abstentions: both right
    const t = squadV2(predictions, references, { noAnswerProbabilities, noAnswerThreshold: 0.5 });
    expect(t.exact).toBe(75);
    expect(t.f1).toBeCloseTo((100 * (3 + 2 / 3)) / 4, 12);
    expect(t.NoAns_exact).toBe(100);
  });
  it('treats gold answers that normalise to nothing as no answer', () => {
    const r = squadV2({ q: '' }, { q: ['the', '!'] });
    expect(r.exact).toBe(100);
    expect(r.NoAns_total).toBeUndefined();
    expect(r.HasAns_total).toBe(1);
  });
  it('omits HasAns when every question is unanswerable', () => {
    const r = squadV2({ q: 'x' }, { q: [] });
    expect(r.HasAns_total).toBeUndefined();
    expect(r.NoAns_exact).toBe(0);
  });
  it('names the question whose prediction is missing', () => {
    expect(() => squadV2({}, { q1: ['x'] })).toThrow(/predictions\["q1"\]/);
  });
});
