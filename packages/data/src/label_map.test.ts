import { describe, expect, it } from 'vitest';
import { DataError } from './data_error';
import { LabelMap } from './label_map';

describe('LabelMap', () => {
  it('from data: distinct labels, sorted', () => {
    const m = LabelMap.fromData(['O', 'B-PER', 'O', 'I-PER']);
    expect(m.labels).toEqual(['B-PER', 'I-PER', 'O']);
    expect(m.numLabels).toBe(3);
    expect(m.id('O')).toBe(2);
    expect(m.label(0)).toBe('B-PER');
  });

  it('round-trips through HF config fields', () => {
    const m = LabelMap.fromLabels(['negative', 'positive']);
    const cfg = JSON.parse(JSON.stringify({ ...m.toConfig(), hidden_size: 128 }));
    expect(cfg.id2label).toEqual({ '0': 'negative', '1': 'positive' });
    expect(cfg.label2id).toEqual({ negative: 0, positive: 1 });
    expect(LabelMap.fromConfig(cfg).labels).toEqual(m.labels);
    expect(() => LabelMap.fromConfig({ id2label: { '0': 'a', '1': 'b' }, label2id: { a: 1 } })).toThrow(DataError);
  });

  it('an unknown label names where it came from and the known list', () => {
    const m = LabelMap.fromLabels(['0', '1']);
    expect(() => m.id('2', { file: 'dev.tsv', line: 9 })).toThrowError('dev.tsv:9 (field "label"): unknown label "2"; known labels are ["0","1"].');
    expect(() => LabelMap.fromLabels(['a', 'a'])).toThrow(/appears twice/);
  });
});
