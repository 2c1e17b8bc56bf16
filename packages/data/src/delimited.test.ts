import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from './data_error';
import { parseDelimited, readDelimited, streamDelimited } from './delimited';
import { SkipReport } from './error_policy';

const fixture = fileURLToPath(new URL('../../../fixtures/data/sst2-dev-200.tsv', import.meta.url));
const realTrain = fileURLToPath(new URL('../../../../shared/data/sst2/train.tsv', import.meta.url));
const sst2 = { textColumn: 'sentence', labelColumn: 'label', labels: ['0', '1'] } as const;

describe('TSV (GLUE SST-2)', () => {
  it('reads 200 rows, trims the space before the tab, keeps line numbers', async () => {
    const { examples, skipped } = await readDelimited(fixture, sst2);
    expect(examples).toHaveLength(200);
    expect(skipped).toBe(0);
    expect(examples[0]).toEqual({
      text: "it 's a charming and often affecting journey .",
      label: '1',
      source: { file: fixture, line: 2 },
    });
    expect(examples.every((e) => e.text === e.text.trim() && e.text.length > 0)).toBe(true);
    const ones = examples.filter((e) => e.label === '1').length;
    expect(ones).toBeGreaterThan(50);
    expect(ones).toBeLessThan(150);
  });

  it('names the missing column and what the header has', () => {
    expect(() => parseDelimited('sentence\tlabel\nfoo \t1\n', { textColumn: 'text', file: 'x.tsv' })).toThrowError(
      /x\.tsv:1 \(field "text"\): missing text column "text"; the header has \["sentence","label"\]/,
    );
  });

  it('an unknown label is a DataError with file, line, field and the known labels', () => {
    let err: unknown;
    try {
      parseDelimited('sentence\tlabel\ngood \t1\nbad \t7\n', { ...sst2, file: 'dev.tsv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    const d = err as DataError;
    expect([d.file, d.line, d.field]).toEqual(['dev.tsv', 3, 'label']);
    expect(d.message).toContain('known labels are ["0","1"]');
  });

  it("onError: 'skip' counts bad rows instead", () => {
    const report = new SkipReport();
    const out = parseDelimited('sentence\tlabel\ngood \t1\nbad \t7\nshort\nok \t0\n', { ...sst2, onError: 'skip', report });
    expect(out.examples.map((e) => e.text)).toEqual(['good', 'ok']);
    expect(out.skipped).toBe(2);
    expect(report.errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it('an empty dataset is an error', () => {
    expect(() => parseDelimited('sentence\tlabel\n', { ...sst2, file: 'e.tsv' })).toThrowError(/e\.tsv: empty dataset/);
  });

  it('streams the full SST-2 train file when shared data is present', async () => {
    if (!existsSync(realTrain)) return;
    let n = 0;
    let positives = 0;
    for await (const ex of streamDelimited(realTrain, sst2)) {
      n++;
      if (ex.label === '1') positives++;
    }
    expect(n).toBe(67349);
    expect(positives).toBe(37569);
  });
});

describe('CSV (RFC 4180)', () => {
  it('handles quotes, doubled quotes, commas and newlines inside quotes', () => {
    const csv = 'id,question1,question2,is_duplicate\r\n1,"What is ""AI""?","Is it, really?",1\n2,"two\nlines",plain,0\n';
    const { examples } = parseDelimited(csv, { format: 'csv', textColumn: 'question1', textPairColumn: 'question2', labelColumn: 'is_duplicate' });
    expect(examples).toEqual([
      { text: 'What is "AI"?', textPair: 'Is it, really?', label: '1', source: { file: '<string>', line: 2 } },
      { text: 'two\nlines', textPair: 'plain', label: '0', source: { file: '<string>', line: 3 } },
    ]);
  });

  it('a quote never closed is reported at the line where its record starts', () => {
    expect(() => parseDelimited('a,b\n1,"open\nstill\n', { format: 'csv', textColumn: 'a', file: 'q.csv' })).toThrowError(/q\.csv:2: a quoted field is never closed/);
  });

  it('chooses the format from the file extension', () => {
    const { examples } = parseDelimited('t,l\n"x,y",1\n', { file: 'a.csv', textColumn: 't', labelColumn: 'l' });
    expect(examples[0]!.text).toBe('x,y');
  });
});
