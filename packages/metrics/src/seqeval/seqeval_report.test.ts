import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../metrics_error';
import { seqevalClassificationReport } from './seqeval_report';
import {
  seqevalAccuracy,
  seqevalF1,
  seqevalPrecision,
  seqevalPrecisionRecallFscoreSupport,
  seqevalRecall,
} from './seqeval_scores';

const silent = { onWarning: () => {} };

// seqeval's README example: MISC predicted one token too early, PER right.
const readmeTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
const readmePred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];

describe('seqeval default mode', () => {
  it('scores the README example as seqeval documents', () => {
    expect(seqevalF1(readmeTrue, readmePred)).toBe(0.5);
    expect(seqevalPrecision(readmeTrue, readmePred)).toBe(0.5);
    expect(seqevalRecall(readmeTrue, readmePred)).toBe(0.5);
    expect(seqevalAccuracy(readmeTrue, readmePred)).toBe(0.8);
    expect(seqevalClassificationReport(readmeTrue, readmePred)).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '        MISC       0.00      0.00      0.00         1',
        '         PER       1.00      1.00      1.00         1',
        '',
        '   micro avg       0.50      0.50      0.50         2',
        '   macro avg       0.50      0.50      0.50         2',
        'weighted avg       0.50      0.50      0.50         2',
        '',
      ].join('\n'),
    );
  });

  // Hand-computed: true PER(0,1) LOC(3,3) ORG(5,6); pred PER(0,1) LOC(3,4) ORG(6,6) → only PER matches.
  const t = [['B-PER', 'I-PER', 'O', 'B-LOC', 'O', 'B-ORG', 'I-ORG']];
  const p = [['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC', 'O', 'B-ORG']];
  it('counts a boundary error as both a false positive and a false negative', () => {
    const per = seqevalPrecisionRecallFscoreSupport(t, p, silent);
    expect(per).toEqual({ types: ['LOC', 'ORG', 'PER'], precision: [0, 0, 1], recall: [0, 0, 1], fScore: [0, 0, 1], support: [1, 1, 1] });
    const micro = seqevalPrecisionRecallFscoreSupport(t, p, { average: 'micro' });
    expect(micro.precision).toBe(1 / 3);
    expect(micro.support).toBe(3);
    expect(seqevalAccuracy(t, p)).toBe(4 / 7);
  });
  it('prints digits=4 with the widths seqeval uses', () => {
    expect(seqevalClassificationReport(t, p, { digits: 4 })).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '         LOC     0.0000    0.0000    0.0000         1',
        '         ORG     0.0000    0.0000    0.0000         1',
        '         PER     1.0000    1.0000    1.0000         1',
        '',
        '   micro avg     0.3333    0.3333    0.3333         3',
        '   macro avg     0.3333    0.3333    0.3333         3',
        'weighted avg     0.3333    0.3333    0.3333         3',
        '',
      ].join('\n'),
    );
  });
  it('widens the name column for long entity types', () => {
    const r = seqevalClassificationReport([['B-PRODUCT_NAME_LONG']], [['B-PRODUCT_NAME_LONG']]);
    expect(r.split('\n')[2]).toBe('PRODUCT_NAME_LONG       1.00      1.00      1.00         1');
    expect(r.split('\n')[0]).toBe('                   precision    recall  f1-score   support');
  });
  it('weights averages by support', () => {
    // PER: 2 true, both found; LOC: 1 true, predicted as ORG → P/R: PER 1/1, LOC 0/0, ORG 0 (no true)
    const yt = [['B-PER', 'O', 'B-PER', 'B-LOC']];
    const yp = [['B-PER', 'O', 'B-PER', 'B-ORG']];
    const w = seqevalPrecisionRecallFscoreSupport(yt, yp, { average: 'weighted', ...silent });
    expect(w.precision).toBeCloseTo((1 * 2 + 0 * 1 + 0 * 0) / 3, 15);
    expect(w.recall).toBeCloseTo(2 / 3, 15);
    const m = seqevalPrecisionRecallFscoreSupport(yt, yp, { average: 'macro', ...silent });
    expect(m.precision).toBeCloseTo(1 / 3, 15);
    expect(m.fScore).toBeCloseTo(1 / 3, 15);
  });
  it('applies zeroDivision to types that are never true or never predicted', () => {
    const yt = [['O', 'O']];
    const yp = [['B-PER', 'O']];
    expect(seqevalPrecisionRecallFscoreSupport(yt, yp, { zeroDivision: 1 })).toEqual({
      types: ['PER'], precision: [0], recall: [1], fScore: [0], support: [0],
    });
    expect(seqevalPrecisionRecallFscoreSupport(yt, yp, { average: 'weighted', zeroDivision: 1 })).toEqual({
      precision: 0, recall: 1, fScore: 0, support: 0,
    });
    const warnings: string[] = [];
    expect(seqevalRecall(yt, yp, { onWarning: (m) => warnings.push(m) })).toBe(0);
    expect(warnings.length).toBeGreaterThan(0);
    // nothing anywhere: micro is the zeroDivision value, macro is NaN (mean of nothing)
    expect(seqevalF1([['O']], [['O']], { zeroDivision: 1 })).toBe(1);
    expect(seqevalF1([['O']], [['O']], { average: 'macro', ...silent })).toBeNaN();
  });
  it('returns the output_dict shape', () => {
    const d = seqevalClassificationReport(readmeTrue, readmePred, { outputDict: true });
    expect(Object.keys(d)).toEqual(['MISC', 'PER', 'micro avg', 'macro avg', 'weighted avg']);
    expect(d['PER']).toEqual({ precision: 1, recall: 1, 'f1-score': 1, support: 1 });
    expect(d['micro avg']).toEqual({ precision: 0.5, recall: 0.5, 'f1-score': 0.5, support: 2 });
  });
  it('rejects mismatched lengths and flat lists', () => {
    expect(() => seqevalF1([['O', 'O']], [['O']])).toThrow(MetricsInputError);
    expect(() => seqevalF1([['O']], [['O'], ['O']])).toThrow(MetricsInputError);
    expect(() => seqevalF1(['O'] as unknown as string[][], ['O'] as unknown as string[][])).toThrow(MetricsInputError);
    expect(() => seqevalClassificationReport([['O']], [['O']])).toThrow(MetricsInputError);
  });
});

describe('seqeval strict mode', () => {
  // seqeval README: an I- without B- is an entity in default mode only.
  const yt = [['B-NP', 'I-NP', 'O']];
  const yp = [['I-NP', 'I-NP', 'O']];
  it('default mode accepts the I-NP chunk, strict IOB2 does not', () => {
    expect(seqevalF1(yt, yp)).toBe(1);
    expect(seqevalF1(yt, yp, { mode: 'strict', scheme: 'IOB2', ...silent })).toBe(0);
    expect(seqevalClassificationReport(yt, yp, { mode: 'strict', scheme: 'IOB2', ...silent })).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '          NP       0.00      0.00      0.00         1',
        '',
        '   micro avg       0.00      0.00      0.00         1',
        '   macro avg       0.00      0.00      0.00         1',
        'weighted avg       0.00      0.00      0.00         1',
        '',
      ].join('\n'),
    );
  });
  it('IOBES: an unterminated chunk is not an entity, singletons are', () => {
    const t = [['B-PER', 'E-PER', 'S-LOC', 'O'], ['S-ORG', 'O']];
    const p = [['B-PER', 'I-PER', 'S-LOC', 'O'], ['S-ORG', 'S-ORG']];
    // strict: pred entities LOC, ORG, ORG(1,1) → tp 2 of 3 predicted, 2 of 3 true
    const s = seqevalPrecisionRecallFscoreSupport(t, p, { mode: 'strict', scheme: 'IOBES', average: 'micro' });
    expect([s.precision, s.recall]).toEqual([2 / 3, 2 / 3]);
    // default: pred PER(0,1) counts and matches → tp 3 of 4 predicted, 3 of 3 true
    const d = seqevalPrecisionRecallFscoreSupport(t, p, { average: 'micro' });
    expect([d.precision, d.recall]).toEqual([3 / 4, 1]);
  });
  it('entities in different sentences at the same offsets are different entities', () => {
    const t = [['B-PER', 'O'], ['O', 'O']];
    const p = [['O', 'O'], ['B-PER', 'O']];
    expect(seqevalF1(t, p, { mode: 'strict', scheme: 'IOB2' })).toBe(0);
  });
});
