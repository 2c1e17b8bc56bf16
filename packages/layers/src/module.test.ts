import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { Module, ShapeMismatchError, StateDictError } from './module';
import { Linear } from './linear';
import { LayerNorm } from './layer_norm';
import { Dropout } from './dropout';
import { GlobPatternError } from './glob_pattern';

class Block extends Module {
  readonly dense = this.registerModule('dense', new Linear({ inFeatures: 4, outFeatures: 3 }));
  readonly LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: 3 }));
  readonly dropout = this.registerModule('dropout', new Dropout({ rate: 0.5 }));
}

class Toy extends Module {
  readonly scale = this.registerParameter('scale', tf.tidy(() => tf.variable(tf.ones([3]))));
  readonly a = this.registerModule('a', new Block());
  readonly b = this.registerModule('b', new Block());
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Module', () => {
  it('names parameters by dotted path and counts them', () => {
    const m = new Toy();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'a.dense.weight',
      'a.dense.bias',
      'a.LayerNorm.weight',
      'a.LayerNorm.bias',
      'b.dense.weight',
      'b.dense.bias',
      'b.LayerNorm.weight',
      'b.LayerNorm.bias',
    ]);
    expect(m.numParameters()).toBe(3 + 2 * (12 + 3 + 3 + 3));
    expect([...m.transposedParameterNames()].sort()).toEqual(['a.dense.weight', 'b.dense.weight']);
    m.dispose();
  });

  it('starts in training mode and propagates train()/eval()', () => {
    const m = new Toy();
    expect(m.training && m.a.dropout.training).toBe(true);
    m.eval();
    expect(m.namedModules().every(([, c]) => !c.training)).toBe(true);
    m.train();
    expect(m.b.dropout.training).toBe(true);
    m.dispose();
  });

  it('freezes and unfreezes by glob', () => {
    const m = new Toy();
    m.freeze('a.*');
    expect(m.trainableParameters().map(([n]) => n)).toEqual([
      'scale',
      'b.dense.weight',
      'b.dense.bias',
      'b.LayerNorm.weight',
      'b.LayerNorm.bias',
    ]);
    m.freeze();
    expect(m.numParameters({ trainableOnly: true })).toBe(0);
    m.unfreeze(['*.bias', '{a,b}.dense.weight']);
    expect(m.trainableParameters().map(([n]) => n)).toEqual([
      'a.dense.weight',
      'a.dense.bias',
      'a.LayerNorm.bias',
      'b.dense.weight',
      'b.dense.bias',
      'b.LayerNorm.bias',
    ]);
    expect(() => m.freeze('nothing.*')).toThrow(GlobPatternError);
    m.dispose();
  });

  it('round-trips a state dict and reports missing / unexpected keys', () => {
    const src = new Toy();
    const dst = new Toy();
    const r = dst.loadStateDict(src.stateDict());
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [n, v] of dst.namedParameters()) {
      expect(Array.from(v.dataSync())).toEqual(Array.from(src.stateDict()[n]!.dataSync()));
    }
    const partial = { ...src.stateDict(), extra: tf.zeros([1]) } as Record<string, tf.Tensor>;
    delete partial['scale'];
    expect(() => dst.loadStateDict(partial)).toThrow(StateDictError);
    expect(dst.loadStateDict(partial, { strict: false })).toEqual({ missingKeys: ['scale'], unexpectedKeys: ['extra'] });
    const bad = { ...src.stateDict(), 'a.dense.weight': tf.zeros([3, 4]) };
    expect(() => dst.loadStateDict(bad)).toThrow(ShapeMismatchError);
    expect(() => dst.loadStateDict(bad)).toThrow(/a\.dense\.weight.*\[4, 3\].*\[3, 4\]/);
    tf.dispose([partial['extra']!, bad['a.dense.weight']!]);
    src.dispose();
    dst.dispose();
  });

  it('disposes every parameter', () => {
    const before = tf.memory().numTensors;
    const m = new Toy();
    expect(tf.memory().numTensors).toBe(before + 9);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
