import { describe, expect, it } from 'vitest';
import { SeqevalSchemeError } from '../metrics_error';
import { autoDetectScheme, isEnd, isInside, isStart, parseSchemeToken, SCHEMES, type SchemeName } from './scheme';

// [prev, current, isStart, isInside, isEnd(prev→current)], from seqeval's documented
// per-scheme behaviour (tests/test_scheme.py of seqeval 1.2).
type Row = [string, string, 0 | 1, 0 | 1, 0 | 1];
const TABLES: Record<SchemeName, Row[]> = {
  IOB1: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 1, 0, 0], ['O', 'B-PER', 0, 0, 0], ['I-PER', 'O', 0, 0, 1],
    ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 1, 0, 1], ['I-PER', 'B-PER', 1, 0, 1], ['I-PER', 'B-ORG', 0, 0, 1],
    ['B-PER', 'O', 0, 0, 1], ['B-PER', 'I-PER', 1, 1, 0], ['B-PER', 'I-ORG', 1, 0, 1], ['B-PER', 'B-PER', 1, 0, 1],
    ['B-PER', 'B-ORG', 0, 0, 0],
  ],
  IOB2: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 0, 0, 0], ['O', 'B-PER', 1, 0, 0], ['I-PER', 'O', 0, 0, 1],
    ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 0, 0, 1], ['I-PER', 'B-PER', 1, 0, 1], ['I-PER', 'B-ORG', 1, 0, 1],
    ['B-PER', 'O', 0, 0, 1], ['B-PER', 'I-PER', 0, 1, 0], ['B-PER', 'I-ORG', 0, 0, 1], ['B-PER', 'B-PER', 1, 0, 1],
    ['B-PER', 'B-ORG', 1, 0, 1],
  ],
  IOE1: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 1, 0, 0], ['O', 'E-PER', 0, 0, 0], ['I-PER', 'O', 0, 0, 1],
    ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 1, 0, 1], ['I-PER', 'E-PER', 0, 1, 0], ['I-PER', 'E-ORG', 0, 0, 1],
    ['E-PER', 'O', 0, 0, 0], ['E-PER', 'I-PER', 1, 0, 1], ['E-PER', 'I-ORG', 1, 0, 0], ['E-PER', 'E-PER', 1, 0, 1],
    ['E-PER', 'E-ORG', 0, 0, 0],
  ],
  IOE2: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 1, 0, 0], ['O', 'E-PER', 1, 0, 0], ['I-PER', 'O', 0, 0, 0],
    ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 1, 0, 0], ['I-PER', 'E-PER', 0, 1, 0], ['I-PER', 'E-ORG', 1, 0, 0],
    ['E-PER', 'O', 0, 0, 1], ['E-PER', 'I-PER', 1, 0, 1], ['E-PER', 'I-ORG', 1, 0, 1], ['E-PER', 'E-PER', 1, 0, 1],
    ['E-PER', 'E-ORG', 1, 0, 1],
  ],
  IOBES: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 0, 0, 0], ['O', 'B-PER', 1, 0, 0], ['O', 'E-PER', 0, 0, 0], ['O', 'S-PER', 1, 0, 0],
    ['I-PER', 'O', 0, 0, 0], ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 0, 0, 0], ['I-PER', 'B-PER', 1, 0, 0],
    ['I-PER', 'E-PER', 0, 1, 0], ['I-PER', 'E-ORG', 0, 0, 0], ['I-PER', 'S-PER', 1, 0, 0], ['B-PER', 'O', 0, 0, 0],
    ['B-PER', 'I-PER', 0, 1, 0], ['B-PER', 'I-ORG', 0, 0, 0], ['B-PER', 'E-PER', 0, 1, 0], ['B-PER', 'E-ORG', 0, 0, 0],
    ['B-PER', 'S-PER', 1, 0, 0], ['E-PER', 'O', 0, 0, 1], ['E-PER', 'I-PER', 0, 0, 1], ['E-PER', 'B-PER', 1, 0, 1],
    ['E-PER', 'E-PER', 0, 0, 1], ['E-PER', 'S-PER', 1, 0, 1], ['S-PER', 'O', 0, 0, 1], ['S-PER', 'I-PER', 0, 0, 1],
    ['S-PER', 'B-PER', 1, 0, 1], ['S-PER', 'E-PER', 0, 0, 1], ['S-PER', 'S-PER', 1, 0, 1],
  ],
  BILOU: [
    ['O', 'O', 0, 0, 0], ['O', 'I-PER', 0, 0, 0], ['O', 'B-PER', 1, 0, 0], ['O', 'L-PER', 0, 0, 0], ['O', 'U-PER', 1, 0, 0],
    ['I-PER', 'O', 0, 0, 0], ['I-PER', 'I-PER', 0, 1, 0], ['I-PER', 'I-ORG', 0, 0, 0], ['I-PER', 'B-PER', 1, 0, 0],
    ['I-PER', 'L-PER', 0, 1, 0], ['I-PER', 'L-ORG', 0, 0, 0], ['I-PER', 'U-PER', 1, 0, 0], ['B-PER', 'O', 0, 0, 0],
    ['B-PER', 'I-PER', 0, 1, 0], ['B-PER', 'I-ORG', 0, 0, 0], ['B-PER', 'L-PER', 0, 1, 0], ['B-PER', 'L-ORG', 0, 0, 0],
    ['B-PER', 'U-PER', 1, 0, 0], ['L-PER', 'O', 0, 0, 1], ['L-PER', 'I-PER', 0, 0, 1], ['L-PER', 'B-PER', 1, 0, 1],
    ['L-PER', 'L-PER', 0, 0, 1], ['L-PER', 'U-PER', 1, 0, 1], ['U-PER', 'O', 0, 0, 1], ['U-PER', 'I-PER', 0, 0, 1],
    ['U-PER', 'B-PER', 1, 0, 1], ['U-PER', 'L-PER', 0, 0, 1], ['U-PER', 'U-PER', 1, 0, 1],
  ],
};

describe('scheme transition tables', () => {
  for (const [name, rows] of Object.entries(TABLES) as [SchemeName, Row[]][]) {
    it(`${name}: start / inside / end for every prefix pair`, () => {
      const s = SCHEMES[name];
      for (const [p, c, st, ins, end] of rows) {
        const prev = parseSchemeToken(p);
        const cur = parseSchemeToken(c);
        expect([isStart(s, prev, cur), isInside(s, prev, cur), isEnd(s, prev, cur)], `${p} → ${c}`).toEqual([
          !!st,
          !!ins,
          !!end,
        ]);
      }
    });
  }
});

describe('parseSchemeToken', () => {
  it('splits prefix and type as seqeval, stripping the delimiter', () => {
    expect(parseSchemeToken('I-MISC').type).toBe('MISC');
    expect(parseSchemeToken('MISC-I', true).type).toBe('MISC');
    expect(parseSchemeToken('I').type).toBe('_');
    expect(parseSchemeToken('O').type).toBe('_');
    expect(parseSchemeToken('I-ORG-COMPANY').type).toBe('ORG-COMPANY');
    expect(parseSchemeToken('ORG-COMPANY-I', true).type).toBe('ORG-COMPANY');
    expect(parseSchemeToken('I-組織').type).toBe('組織');
  });
  it('rejects an unknown prefix with a typed error', () => {
    expect(() => parseSchemeToken('T-PER')).toThrow(SeqevalSchemeError);
  });
});

describe('autoDetectScheme', () => {
  const cases: [string, SchemeName][] = [
    ['BIO', 'IOB2'], ['BI', 'IOB2'], ['BO', 'IOB2'], ['B', 'IOB2'],
    ['IOE', 'IOE2'], ['IE', 'IOE2'], ['EO', 'IOE2'], ['E', 'IOE2'],
    ['IOBES', 'IOBES'], ['IBES', 'IOBES'], ['IOBE', 'IOBES'], ['OBES', 'IOBES'], ['IBE', 'IOBES'],
    ['BES', 'IOBES'], ['OBE', 'IOBES'], ['BE', 'IOBES'], ['S', 'IOBES'],
    ['IOBLU', 'BILOU'], ['IBLU', 'BILOU'], ['IOBL', 'BILOU'], ['OBLU', 'BILOU'], ['IBL', 'BILOU'],
    ['BLU', 'BILOU'], ['OBL', 'BILOU'], ['BL', 'BILOU'], ['U', 'BILOU'],
  ];
  for (const [letters, scheme] of cases) {
    it(`${letters} → ${scheme}`, () => expect(autoDetectScheme([[...letters]])).toBe(scheme));
  }
  it('refuses prefix sets no scheme explains', () => {
    expect(() => autoDetectScheme([['I', 'O']])).toThrow(SeqevalSchemeError);
    expect(() => autoDetectScheme([['H']])).toThrow(SeqevalSchemeError);
    expect(() => autoDetectScheme([['O', 'O']])).toThrow(SeqevalSchemeError);
  });
});
