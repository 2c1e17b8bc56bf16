import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../frozen_trial';
import { AshaPruner } from './asha_pruner';

const t = (number: number, values: number[], state: FrozenTrial['state'] = 'running'): FrozenTrial => ({
  number, state, params: {}, intermediate: values.map((value, i) => ({ step: i + 1, value })), startedAt: 0,
});

describe('AshaPruner', () => {
  it('places rungs at minResource·η^k', () => {
    expect(new AshaPruner({ reductionFactor: 3 }).rungs(30)).toEqual([1, 3, 9, 27]);
    expect(new AshaPruner({ minResource: 2, reductionFactor: 2 }).rungs(10)).toEqual([2, 4, 8]);
  });

  it('promotes only the top 1/η of the trials that reached a rung, and decides only at rungs', () => {
    const p = new AshaPruner({ reductionFactor: 3 });
    const others = [t(0, [0.5], 'pruned'), t(1, [0.9, 0.9, 0.9], 'complete'), t(2, [0.6], 'pruned'), t(3, [0.7, 0.7, 0.7], 'complete'), t(4, [0.8], 'pruned')];
    // 6 trials at rung 1 → the best 2 go on: 0.9 and this one at 0.85, not 0.75.
    const good = t(5, [0.85]);
    const bad = t(5, [0.75]);
    expect(p.shouldPrune(good, [...others, good], 'maximize')).toBe(false);
    expect(p.shouldPrune(bad, [...others, bad], 'maximize')).toBe(true);
    // Step 2 is not a rung.
    const between = t(5, [0.95, 0.1]);
    expect(p.shouldPrune(between, [...others, between], 'maximize')).toBe(false);
  });

  it('lets the first trial at a rung through (no waiting), and prunes NaN', () => {
    const p = new AshaPruner();
    const first = t(0, [0.1]);
    expect(p.shouldPrune(first, [first], 'maximize')).toBe(false);
    const nan = t(1, [Number.NaN]);
    expect(p.shouldPrune(nan, [first, nan], 'maximize')).toBe(true);
  });
});
