import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from './rng';
import { logGaussMass, logNdtr, ndtr, ndtri, truncNormLogPdf, truncNormSample } from './truncated_normal';

describe('normal CDF and its inverse', () => {
  it('matches reference values (scipy.special.ndtr / log_ndtr)', () => {
    expect(ndtr(0)).toBeCloseTo(0.5, 7);
    expect(ndtr(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(ndtr(-3)).toBeCloseTo(0.0013498980316301, 9);
    // log_ndtr(-40) = -804.6084420137538: no underflow far in the tail.
    expect(logNdtr(-40)).toBeCloseTo(-804.6084420137538, 4);
    expect(logNdtr(5)).toBeCloseTo(-2.866516129637636e-7, 12);
  });

  // Above ~4, p = Φ(x) is too close to 1 for any inverse (the sampler works in the lower tail instead).
  it('ndtri inverts ndtr (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 4, noNaN: true }), (x) => {
        expect(Math.abs(ndtri(ndtr(x)) - x)).toBeLessThan(1e-5 * Math.max(1, Math.abs(x)));
      }),
    );
  });

  it('logGaussMass is log(Φ(b) − Φ(a)) and stays finite in the far tails', () => {
    expect(Math.exp(logGaussMass(-1, 1))).toBeCloseTo(0.6826894921370859, 7);
    expect(Math.exp(logGaussMass(1, 2))).toBeCloseTo(0.13590512198327787, 7);
    expect(logGaussMass(30, 31)).toBeCloseTo(logNdtr(-30), 3);
    expect(Number.isFinite(logGaussMass(-60, -59))).toBe(true);
  });
});

describe('truncated normal', () => {
  it('samples inside the bounds and its density integrates to 1', () => {
    const rng = new Rng(3);
    for (const [mu, sigma, lo, hi] of [[0, 1, -1, 2], [5, 0.1, 0, 4.5], [0, 10, 0, 1], [-3, 0.5, -3, 20]] as const) {
      for (let i = 0; i < 2000; i++) {
        const x = truncNormSample(rng.random(), mu, sigma, lo, hi);
        expect(x >= lo && x <= hi).toBe(true);
      }
      const n = 20_000;
      let integral = 0;
      for (let i = 0; i < n; i++) integral += Math.exp(truncNormLogPdf(lo + ((i + 0.5) / n) * (hi - lo), mu, sigma, lo, hi)) * ((hi - lo) / n);
      expect(integral).toBeCloseTo(1, 3);
    }
  });

  it('sample mean matches the analytic truncated mean', () => {
    const rng = new Rng(4);
    // N(0,1) truncated to [0, ∞) ≈ [0, 50]: mean sqrt(2/π).
    let s = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) s += truncNormSample(rng.random(), 0, 1, 0, 50);
    // Standard error 0.6/sqrt(n) ≈ 0.0013.
    expect(Math.abs(s / n - Math.sqrt(2 / Math.PI))).toBeLessThan(0.005);
  });
});
