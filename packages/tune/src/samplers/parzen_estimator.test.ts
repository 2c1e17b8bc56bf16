import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { ParzenEstimator } from './parzen_estimator';

const opts = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false };

describe('ParzenEstimator', () => {
  it('is a density over a float range (integrates to 1) and its samples stay in range', () => {
    const spec = { type: 'float', low: -2, high: 3 } as const;
    const pe = new ParzenEstimator([[0.5], [0.7], [2.9]], [{ kind: 'numeric', spec }], [1, 1, 1], opts);
    const n = 10_000;
    let integral = 0;
    for (let i = 0; i < n; i++) integral += Math.exp(pe.logPdf([-2 + ((i + 0.5) / n) * 5])) * (5 / n);
    expect(integral).toBeCloseTo(1, 3);
    for (const [x] of pe.sample(new Rng(1), 500)) expect(x! >= -2 && x! <= 3).toBe(true);
  });

  it('gives a probability mass function over an int range (sums to 1) and samples integers', () => {
    const spec = { type: 'int', low: 1, high: 64, log: true } as const;
    const pe = new ParzenEstimator([[2], [8], [8]], [{ kind: 'numeric', spec }], [1, 1, 1], opts);
    let total = 0;
    for (let k = 1; k <= 64; k++) total += Math.exp(pe.logPdf([k]));
    expect(total).toBeCloseTo(1, 6);
    for (const [x] of pe.sample(new Rng(2), 500)) expect(Number.isInteger(x) && x! >= 1 && x! <= 64).toBe(true);
  });

  it('smooths categorical kernels with the prior (Optuna: prior_weight / kernels on each choice)', () => {
    const spec = { type: 'categorical', choices: ['a', 'b', 'c'] } as const;
    const pe = new ParzenEstimator([[0], [0]], [{ kind: 'categorical', spec }], [1, 1], opts);
    // Each observed kernel: [1 + 1/3, 1/3, 1/3] / 2 → a: 2/3; prior kernel uniform; mixture (2·k + prior)/3.
    const pa = (2 * (2 / 3) + 1 / 3) / 3;
    expect(Math.exp(pe.logPdf([0]))).toBeCloseTo(pa, 12);
    expect(Math.exp(pe.logPdf([1])) + Math.exp(pe.logPdf([2])) + pa).toBeCloseTo(1, 12);
  });

  it('with no observation is the prior alone: uniform-ish, centered, spanning the range', () => {
    const spec = { type: 'float', low: 0, high: 1 } as const;
    const pe = new ParzenEstimator([], [{ kind: 'numeric', spec }], [], opts);
    expect(pe.logPdf([0.5])).toBeGreaterThan(pe.logPdf([0]));
  });
});
