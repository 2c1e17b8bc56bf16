import { describe, expect, it } from 'vitest';
import { aggregateEntities, type TokenScores } from './aggregate_entities';

const labels = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG'];
const text = 'Enzo works at Microsoft';
// "Microsoft" split into three WordPieces whose predictions disagree: the strategies differ exactly here.
const tokens: TokenScores[] = [
  { index: 1, start: 0, end: 4, isSubword: false, scores: [0.05, 0.9, 0.05, 0, 0] },
  { index: 2, start: 5, end: 10, isSubword: false, scores: [0.97, 0.01, 0.01, 0.01, 0] },
  { index: 3, start: 11, end: 13, isSubword: false, scores: [0.96, 0.01, 0.01, 0.01, 0.01] },
  { index: 4, start: 14, end: 19, isSubword: false, scores: [0, 0, 0.1, 0, 0.9] },
  { index: 5, start: 19, end: 21, isSubword: true, scores: [0, 0, 0.1, 0, 0.9] },
  { index: 6, start: 21, end: 23, isSubword: true, scores: [0, 0, 0.95, 0, 0.05] },
];

const brief = (es: ReturnType<typeof aggregateEntities>) => es.map((e) => [e.entity, e.word, e.start, e.end, Number(e.score.toFixed(4))]);

describe('aggregateEntities (HF aggregation_strategy semantics)', () => {
  it("'none' keeps every non-O token with its label and index", () => {
    const es = aggregateEntities(text, tokens, labels, 'none');
    expect(brief(es)).toEqual([
      ['B-PER', 'Enzo', 0, 4, 0.9],
      ['I-ORG', 'Micro', 14, 19, 0.9],
      ['I-ORG', 'so', 19, 21, 0.9],
      ['I-PER', 'ft', 21, 23, 0.95],
    ]);
    expect(es.map((e) => e.index)).toEqual([1, 4, 5, 6]);
  });

  it("'simple' groups adjacent tokens of one type and may split a word", () => {
    expect(brief(aggregateEntities(text, tokens, labels, 'simple'))).toEqual([
      ['PER', 'Enzo', 0, 4, 0.9],
      ['ORG', 'Microso', 14, 21, 0.9],
      ['PER', 'ft', 21, 23, 0.95],
    ]);
  });

  it("'first' labels a word by its first sub-token", () => {
    expect(brief(aggregateEntities(text, tokens, labels, 'first'))).toEqual([
      ['PER', 'Enzo', 0, 4, 0.9],
      ['ORG', 'Microsoft', 14, 23, 0.9],
    ]);
  });

  it("'average' labels a word by its sub-tokens' mean scores", () => {
    expect(brief(aggregateEntities(text, tokens, labels, 'average'))).toEqual([
      ['PER', 'Enzo', 0, 4, 0.9],
      ['ORG', 'Microsoft', 14, 23, Number(((0.9 + 0.9 + 0.05) / 3).toFixed(4))],
    ]);
  });

  it("'max' labels a word by its most confident sub-token", () => {
    expect(brief(aggregateEntities(text, tokens, labels, 'max'))).toEqual([
      ['PER', 'Enzo', 0, 4, 0.9],
      ['PER', 'Microsoft', 14, 23, 0.95],
    ]);
  });

  it('a B- tag starts a new entity; I- of the same type continues one; the score is the mean', () => {
    const t = 'Ann Lee Bob';
    const toks: TokenScores[] = [
      { index: 1, start: 0, end: 3, isSubword: false, scores: [0, 0.8, 0.2, 0, 0] },
      { index: 2, start: 4, end: 7, isSubword: false, scores: [0, 0.4, 0.6, 0, 0] },
      { index: 3, start: 8, end: 11, isSubword: false, scores: [0, 0.7, 0.3, 0, 0] },
    ];
    expect(brief(aggregateEntities(t, toks, labels, 'simple'))).toEqual([
      ['PER', 'Ann Lee', 0, 7, 0.7],
      ['PER', 'Bob', 8, 11, 0.7],
    ]);
  });

  it('ignoreLabels drops entity types too', () => {
    expect(brief(aggregateEntities(text, tokens, labels, 'first', ['O', 'PER']))).toEqual([['ORG', 'Microsoft', 14, 23, 0.9]]);
  });
});
