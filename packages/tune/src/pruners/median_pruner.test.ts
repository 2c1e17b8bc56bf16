import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../frozen_trial';
import { MedianPruner, percentile } from './median_pruner';

const t = (number: number, state: FrozenTrial['state'], values: number[]): FrozenTrial => ({
  number, state, params: {}, intermediate: values.map((value, i) => ({ step: i + 1, value })), startedAt: 0,
});

describe('MedianPruner', () => {
  it('percentile interpolates like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5], 50)).toBe(5);
  });

  it('prunes a trial whose best so far is worse than the completed trials\' median at that step', () => {
    const done = [t(0, 'complete', [0.6, 0.7]), t(1, 'complete', [0.7, 0.8]), t(2, 'complete', [0.8, 0.85])];
    const p = new MedianPruner({ nStartupTrials: 3 });
    const bad = t(3, 'running', [0.65]);
    const good = t(4, 'running', [0.75]);
    expect(p.shouldPrune(bad, [...done, bad], 'maximize')).toBe(true);
    expect(p.shouldPrune(good, [...done, good], 'maximize')).toBe(false);
    // Minimizing a loss flips it.
    expect(p.shouldPrune(bad, [...done, bad], 'minimize')).toBe(false);
    // Best-so-far, not the last value: a dip at step 2 after a good step 1 is kept.
    const dip = t(5, 'running', [0.9, 0.5]);
    expect(p.shouldPrune(dip, [...done, dip], 'maximize')).toBe(false);
  });

  it('waits for nStartupTrials completed trials and nWarmupSteps, and prunes NaN', () => {
    const done = [t(0, 'complete', [0.9]), t(1, 'complete', [0.9])];
    const bad = t(2, 'running', [0.1]);
    expect(new MedianPruner({ nStartupTrials: 3 }).shouldPrune(bad, [...done, bad], 'maximize')).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 2 }).shouldPrune(bad, [...done, bad], 'maximize')).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 2 }).shouldPrune(bad, [...done, bad], 'maximize')).toBe(true);
    const nan = t(3, 'running', [Number.NaN]);
    expect(new MedianPruner({ nStartupTrials: 2 }).shouldPrune(nan, [...done, nan], 'maximize')).toBe(true);
  });
});
