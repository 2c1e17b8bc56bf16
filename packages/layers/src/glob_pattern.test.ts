import { describe, it, expect } from 'vitest';
import { globToRegExp, GlobPatternError } from './glob_pattern';

describe('globToRegExp', () => {
  const m = (p: string, name: string) => globToRegExp(p).test(name);

  it('matches * across dots and anchors at a dot boundary', () => {
    expect(m('embeddings.*', 'embeddings.word_embeddings.weight')).toBe(true);
    expect(m('embeddings.*', 'bert.embeddings.LayerNorm.bias')).toBe(true);
    expect(m('embeddings.*', 'bert.xembeddings.LayerNorm.bias')).toBe(false);
    expect(m('*.bias', 'encoder.layer.0.output.dense.bias')).toBe(true);
    expect(m('*.bias', 'encoder.layer.0.output.dense.weight')).toBe(false);
  });

  it('expands integer ranges and alternatives', () => {
    const p = 'encoder.layer.{0..3}.*';
    expect(m(p, 'bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(m(p, 'bert.encoder.layer.3.output.dense.bias')).toBe(true);
    expect(m(p, 'bert.encoder.layer.4.output.dense.bias')).toBe(false);
    expect(m(p, 'bert.encoder.layer.10.output.dense.bias')).toBe(false);
    expect(m('{query,value}.weight', 'attention.self.value.weight')).toBe(true);
    expect(m('{query,value}.weight', 'attention.self.key.weight')).toBe(false);
  });

  it('treats dots literally and rejects broken patterns', () => {
    expect(m('a.b', 'aXb')).toBe(false);
    expect(() => globToRegExp('layer.{0..3')).toThrow(GlobPatternError);
    expect(() => globToRegExp('layer.{3..1}')).toThrow(/empty/);
  });
});
