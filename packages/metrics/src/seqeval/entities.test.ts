import { describe, expect, it } from 'vitest';
import { SeqevalSchemeError } from '../metrics_error';
import { getEntities, strictSentenceEntities, type EntitySpan } from './entities';
import type { SchemeName } from './scheme';

describe('getEntities, default (conlleval-compatible) mode', () => {
  const cases: [string, string[], EntitySpan[]][] = [
    ['B/I chunk then singleton', ['B-PER', 'I-PER', 'O', 'B-LOC'], [['PER', 0, 1], ['LOC', 3, 3]]],
    ['I- after O starts a chunk', ['O', 'I-PER', 'I-PER', 'O'], [['PER', 1, 2]]],
    ['I- at sentence start', ['I-LOC', 'O'], [['LOC', 0, 0]]],
    ['type switch inside a chunk splits it', ['B-PER', 'I-LOC', 'I-LOC'], [['PER', 0, 0], ['LOC', 1, 2]]],
    ['B- of the same type restarts', ['B-PER', 'B-PER', 'I-PER'], [['PER', 0, 0], ['PER', 1, 2]]],
    ['IOBES singletons and chunks', ['S-PER', 'S-PER', 'B-LOC', 'E-LOC', 'S-ORG'], [['PER', 0, 0], ['PER', 1, 1], ['LOC', 2, 3], ['ORG', 4, 4]]],
    ['E- closes, a following I- reopens', ['I-PER', 'E-PER', 'I-PER'], [['PER', 0, 1], ['PER', 2, 2]]],
    ['IOBES chunk without E- still counts', ['B-PER', 'I-PER', 'O'], [['PER', 0, 1]]],
    ['all O', ['O', 'O'], []],
    ['empty', [], []],
    ['tag without type', ['B', 'I', 'O', 'I'], [['_', 0, 1], ['_', 3, 3]]],
    ['type with a dash', ['B-ORG-COMPANY', 'I-ORG-COMPANY'], [['ORG-COMPANY', 0, 1]]],
  ];
  for (const [name, seq, expected] of cases) it(name, () => expect(getEntities(seq)).toEqual(expected));

  it('joins sentences with an O between them (offsets count the separator)', () => {
    expect(getEntities([['B-PER', 'I-PER', 'O'], ['B-LOC']])).toEqual([['PER', 0, 1], ['LOC', 4, 4]]);
    // an entity at the end of one sentence does not run into the next
    expect(getEntities([['I-PER'], ['I-PER']])).toEqual([['PER', 0, 0], ['PER', 2, 2]]);
  });

  it('reads suffix-style tags', () => {
    expect(getEntities(['PER-B', 'PER-I', 'O', 'LOC-S'], { suffix: true })).toEqual([['PER', 0, 1], ['LOC', 3, 3]]);
  });
});

describe('strict mode', () => {
  // [scheme, tags, entities as (type, start, endExclusive)] — seqeval's documented extractions
  const cases: [SchemeName, string[], [string, number, number][]][] = [
    ['IOB1', ['B-PER'], []],
    ['IOB1', ['I-PER'], [['PER', 0, 1]]],
    ['IOB1', ['I-PER', 'I-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
    ['IOB1', ['I-PER', 'B-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    ['IOB1', ['I-PER', 'B-ORG'], [['PER', 0, 1]]],
    ['IOB1', ['B-PER', 'I-PER'], [['PER', 1, 2]]],
    ['IOB1', ['B-PER', 'I-ORG'], [['ORG', 1, 2]]],
    ['IOB2', ['B-PER'], [['PER', 0, 1]]],
    ['IOB2', ['I-PER'], []],
    ['IOB2', ['O', 'I-PER'], []],
    ['IOB2', ['I-PER', 'B-ORG'], [['ORG', 1, 2]]],
    ['IOB2', ['B-PER', 'I-PER'], [['PER', 0, 2]]],
    ['IOB2', ['B-PER', 'I-ORG'], [['PER', 0, 1]]],
    ['IOB2', ['B-PER', 'B-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    ['IOE1', ['I-PER'], [['PER', 0, 1]]],
    ['IOE1', ['I-PER', 'I-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
    ['IOE1', ['E-PER', 'I-PER'], [['PER', 1, 2]]],
    ['IOE1', ['E-PER', 'E-PER'], []],
    ['IOE2', ['E-PER'], [['PER', 0, 1]]],
    ['IOE2', ['I-PER'], []],
    ['IOE2', ['I-PER', 'E-PER'], [['PER', 0, 2]]],
    ['IOE2', ['I-PER', 'E-ORG'], [['ORG', 1, 2]]],
    ['IOE2', ['E-PER', 'E-ORG'], [['PER', 0, 1], ['ORG', 1, 2]]],
    ['IOBES', ['S-PER'], [['PER', 0, 1]]],
    ['IOBES', ['B-PER'], []],
    ['IOBES', ['B-PER', 'E-PER'], [['PER', 0, 2]]],
    ['IOBES', ['B-PER', 'E-ORG'], []],
    ['IOBES', ['B-PER', 'S-PER'], [['PER', 1, 2]]],
    ['IOBES', ['S-PER', 'E-PER'], [['PER', 0, 1]]],
    ['IOBES', ['S-PER', 'S-PER'], [['PER', 0, 1], ['PER', 1, 2]]],
    ['IOBES', ['B-PER', 'I-PER', 'O'], []],
    ['IOBES', ['S-PER', 'S-PER', 'B-LOC', 'I-LOC', 'E-LOC', 'S-ORG'], [['PER', 0, 1], ['PER', 1, 2], ['LOC', 2, 5], ['ORG', 5, 6]]],
    ['BILOU', ['U-PER'], [['PER', 0, 1]]],
    ['BILOU', ['B-PER', 'L-PER'], [['PER', 0, 2]]],
    ['BILOU', ['B-PER', 'I-PER', 'L-PER', 'U-LOC', 'O'], [['PER', 0, 3], ['LOC', 3, 4]]],
    ['BILOU', ['B-PER', 'L-ORG'], []],
    ['BILOU', ['U', 'U'], [['_', 0, 1], ['_', 1, 2]]],
  ];
  for (const [scheme, tags, expected] of cases) {
    it(`${scheme} ${tags.join(' ')}`, () => {
      expect(strictSentenceEntities(tags, scheme).map((e) => [e.type, e.start, e.end])).toEqual(expected);
    });
  }

  it('getEntities returns inclusive ends and default-mode offsets', () => {
    expect(getEntities([['B-PER', 'I-PER', 'O'], ['I-LOC', 'B-LOC']], { mode: 'strict', scheme: 'IOB2' })).toEqual([
      ['PER', 0, 1],
      ['LOC', 5, 5],
    ]);
  });

  it('detects the scheme when none is given', () => {
    expect(getEntities(['B-PER', 'E-PER', 'S-LOC'], { mode: 'strict' })).toEqual([['PER', 0, 1], ['LOC', 2, 2]]);
  });

  it('rejects tags the scheme does not allow', () => {
    expect(() => strictSentenceEntities(['B-PER', 'E-PER', 'S-PER'], 'IOB2')).toThrow(SeqevalSchemeError);
    expect(() => strictSentenceEntities(['B-PER', 'E-PER'], 'IOB2')).toThrow(/allowed prefixes are I\|O\|B/);
  });
});

describe('getEntities over a list of sentences: joined or sentence-relative offsets', () => {
  const sentences = [['B-PER'], ['O', 'B-LOC', 'I-LOC'], ['B-ORG']];
  it('joined (default) counts one O between sentences, as seqeval get_entities', () => {
    expect(getEntities(sentences)).toEqual([['PER', 0, 0], ['LOC', 3, 4], ['ORG', 6, 6]]);
  });
  it("offsets: 'sentence' restarts at each sentence and names it, in default and strict mode", () => {
    const expected = [['PER', 0, 0, 0], ['LOC', 1, 2, 1], ['ORG', 0, 0, 2]];
    expect(getEntities(sentences, { offsets: 'sentence' })).toEqual(expected);
    expect(getEntities(sentences, { mode: 'strict', scheme: 'IOB2', offsets: 'sentence' })).toEqual(expected);
  });
  it('rejects an unknown offsets value in one line naming the option', () => {
    expect(() => getEntities(sentences, { offsets: 'flat' as 'joined' })).toThrow(/options\.offsets/);
  });
  it('warns once per tag that is not an NE tag, as seqeval', () => {
    const seen: string[] = [];
    getEntities(['PER', 'PER', 'B-LOC', 'X'], { onWarning: (m) => seen.push(m) });
    expect(seen).toEqual(['PER seems not to be NE tag.', 'X seems not to be NE tag.']);
  });
});
