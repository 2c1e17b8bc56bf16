import { describe, it, expect } from 'vitest';
import { perplexity, PerplexityAccumulator } from './perplexity';
import { MetricsInputError } from './metrics_error';

describe('perplexity', () => {
  it('is exp of the mean NLL: a uniform guess over V tokens has perplexity V', () => {
    expect(perplexity([Math.log(50), Math.log(50), Math.log(50)])).toBeCloseTo(50, 10);
    expect(perplexity([0, Math.log(4)])).toBeCloseTo(2, 12);
    expect(perplexity([])).toBeNaN();
    expect(() => perplexity([1, -0.5])).toThrow(MetricsInputError);
  });

  it('weights batches by their tokens', () => {
    const acc = new PerplexityAccumulator().add(Math.log(2), 3).add(Math.log(8), 1);
    // (3 ln 2 + ln 8) / 4 = 1.5 ln 2
    expect(acc.tokens).toBe(4);
    expect(acc.meanNll).toBeCloseTo(1.5 * Math.log(2), 12);
    expect(acc.value).toBeCloseTo(2 ** 1.5, 10);
    expect(() => acc.add(1, 1.5)).toThrow(/integer/);
    expect(new PerplexityAccumulator().value).toBeNaN();
  });
});
