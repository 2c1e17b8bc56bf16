import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { sampleFromPrior } from './random_sampler';

describe('sampleFromPrior', () => {
  it('is log-uniform for a log float: each decade gets the same share', () => {
    const rng = new Rng(5);
    const decades = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) decades[Math.floor(Math.log10(sampleFromPrior({ type: 'float', low: 1e-6, high: 1e-3, log: true }, rng) as number) + 6)]!++;
    for (const d of decades) expect(Math.abs(d / 30_000 - 1 / 3)).toBeLessThan(0.015);
  });

  it('gives every int value of a range, the ends included, and respects a step', () => {
    const rng = new Rng(6);
    const seen = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const v = sampleFromPrior({ type: 'int', low: 8, high: 32, step: 8 }, rng) as number;
      seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([8, 16, 24, 32]);
    for (const n of seen.values()) expect(n).toBeGreaterThan(850);
  });

  it('keeps a stepped float on its grid without float noise', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 200; i++) expect([0, 0.1, 0.2, 0.3]).toContain(sampleFromPrior({ type: 'float', low: 0, high: 0.3, step: 0.1 }, rng));
  });
});
