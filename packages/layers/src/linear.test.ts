import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { Linear } from './linear';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Linear', () => {
  it('computes x W + b with W stored [in, out]', () => {
    const lin = new Linear({ inFeatures: 3, outFeatures: 2 });
    lin.weight.assign(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    lin.bias!.assign(tf.tensor1d([0.5, -1]));
    const y = lin.forward(tf.tensor3d([[[1, 0, -1], [2, 1, 0]]]));
    expect(y.shape).toEqual([1, 2, 2]);
    expect(Array.from(y.dataSync())).toEqual([-3.5, -5, 5.5, 7]);
    expect([...lin.transposedParameterNames()]).toEqual(['weight']);
    lin.dispose();
  });

  it('initialises as HF BERT (normal std initializerRange, zero bias), reproducibly from a seed', () => {
    const a = new Linear({ inFeatures: 256, outFeatures: 64, initializerRange: 0.02 }, { rng: new Generator(7) });
    const b = new Linear({ inFeatures: 256, outFeatures: 64, initializerRange: 0.02 }, { rng: new Generator(7) });
    const w = Array.from(a.weight.dataSync());
    expect(Array.from(w)).toEqual(Array.from(b.weight.dataSync()));
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
    expect(a.bias!.dataSync().every((x) => x === 0)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('can omit the bias', () => {
    const lin = new Linear({ inFeatures: 2, outFeatures: 2, bias: false });
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight']);
    lin.dispose();
  });
});
