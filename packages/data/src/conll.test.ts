import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConll, readConll } from './conll';
import { DataError } from './data_error';

const fixture = fileURLToPath(new URL('../../../fixtures/data/conll2003-valid-50.txt', import.meta.url));
const realValid = fileURLToPath(new URL('../../../../shared/data/conll2003/valid.txt', import.meta.url));
const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'];

describe('CoNLL reader', () => {
  it('skips -DOCSTART-, breaks sentences on blank lines, takes the last column as tag', async () => {
    const { examples } = await readConll(fixture, { labels: TAGS });
    expect(examples).toHaveLength(49);
    expect(examples[0]).toEqual({ words: ['CRICKET', '-', 'LEICESTERSHIRE', 'TAKE', 'OVER', 'AT', 'TOP', 'AFTER', 'INNINGS', 'VICTORY', '.'], tags: ['O', 'O', 'B-ORG', 'O', 'O', 'O', 'O', 'O', 'O', 'O', 'O'], source: { file: fixture, line: 3 } });
    expect(examples.every((e) => e.words.length === e.tags.length && !e.words.includes('-DOCSTART-'))).toBe(true);
  });

  it('chooses another column by name or index', () => {
    const text = 'EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n';
    const byName = parseConll(text, { columns: ['token', 'pos', 'chunk', 'ner'], tagColumn: 'pos' });
    expect(byName.examples[0]!.tags).toEqual(['NNP', 'VBZ']);
    expect(parseConll(text, { tagColumn: 2 }).examples[0]!.tags).toEqual(['B-NP', 'B-VP']);
  });

  it('converts IOB1 to IOB2 on request', () => {
    const text = 'John I-PER\nSmith I-PER\nin O\nParis I-LOC\n';
    expect(parseConll(text, { iob1ToIob2: true }).examples[0]!.tags).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC']);
  });

  it('an unknown tag names file, line and the known tags; skip drops the sentence', () => {
    const text = 'EU B-ORG\nrejects O\n\nPeter B-PERSON\nBlackburn I-PER\n\nok O\n';
    let err: unknown;
    try {
      parseConll(text, { labels: TAGS, file: 'train.txt' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).line).toBe(4);
    expect((err as DataError).message).toMatch(/^train\.txt:4 \(field "tag"\): unknown tag "B-PERSON"; known tags are \["O"/);
    const out = parseConll(text, { labels: TAGS, onError: 'skip' });
    expect(out.examples.map((e) => e.words[0])).toEqual(['EU', 'ok']);
    expect(out.skipped).toBe(1);
  });

  it('reads the real CoNLL-2003 dev set: 3,250 sentences, 51,362 tokens', async () => {
    if (!existsSync(realValid)) return;
    const { examples } = await readConll(realValid, { labels: TAGS });
    expect(examples).toHaveLength(3250);
    expect(examples.reduce((s, e) => s + e.words.length, 0)).toBe(51362);
  });
});
