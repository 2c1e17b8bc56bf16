import { describe, expect, it } from 'vitest';
import { parseJsonl } from './jsonl';

describe('JSONL', () => {
  it('reads fields by name, including nested paths and numeric labels', () => {
    const text = '{"t":"good movie","meta":{"l":1}}\n\n{"t":"bad","meta":{"l":0}}\n';
    const { examples } = parseJsonl(text, { textField: 't', labelField: 'meta.l', file: 'a.jsonl' });
    expect(examples).toEqual([
      { text: 'good movie', label: '1', source: { file: 'a.jsonl', line: 1 } },
      { text: 'bad', label: '0', source: { file: 'a.jsonl', line: 3 } },
    ]);
  });

  it('bad JSON and a missing field name the line and field; skip counts them', () => {
    expect(() => parseJsonl('{"t":"a"}\n{oops\n', { textField: 't', file: 'b.jsonl' })).toThrowError(/b\.jsonl:2: not valid JSON/);
    expect(() => parseJsonl('{"t":"a"}\n{"x":1}\n', { textField: 't', file: 'b.jsonl' })).toThrowError(/b\.jsonl:2 \(field "t"\): missing text field/);
    const out = parseJsonl('{"t":"a","y":"pos"}\n{"t":"b","y":"meh"}\n', { textField: 't', labelField: 'y', labels: ['pos', 'neg'], onError: 'skip' });
    expect(out.examples).toHaveLength(1);
    expect(out.skipped).toBe(1);
    expect(out.errors[0]!.message).toContain('known labels are ["pos","neg"]');
  });
});
