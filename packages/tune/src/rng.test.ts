import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('replays the same stream for the same seed and stream, and differs otherwise', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.random())(new Rng(7, 3)));
    const b = Array.from({ length: 5 }, ((r) => () => r.random())(new Rng(7, 3)));
    const c = Array.from({ length: 5 }, ((r) => () => r.random())(new Rng(7, 4)));
    const d = Array.from({ length: 5 }, ((r) => () => r.random())(new Rng(8, 3)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and normals with mean 0 and variance 1', () => {
    const r = new Rng(1);
    let s = 0;
    let n1 = 0;
    let n2 = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const u = r.random();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      const z = r.normal();
      n1 += z;
      n2 += z * z;
    }
    expect(Math.abs(s / N - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(n1 / N)).toBeLessThan(0.01);
    expect(Math.abs(n2 / N - 1)).toBeLessThan(0.02);
  });

  it('picks indices in proportion to weights', () => {
    const r = new Rng(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.choice([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.8);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.2);
  });
});
