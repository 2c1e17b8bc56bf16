import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScheduler } from './registry';
import type { Optimizer } from '../optimizers/optimizer';

const ref = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/reference/vectors/schedules.json'), 'utf8'));

function fakeOptimizer(lr: number): Optimizer {
  return {
    type: 'fake',
    paramGroups: [{ params: [], lr, weightDecay: 0 }],
    step() {},
    stateDict: () => ({ type: 'fake', steps: {}, groups: [], hyper: {}, tensors: {} }),
    loadStateDict() {},
    dispose() {},
  };
}

describe('schedules match HF (schedules.json, 1e-12 relative)', () => {
  const cases: [string, string][] = [
    ['linear', 'linear'],
    ['cosine', 'cosine'],
    ['constant_with_warmup', 'constant_with_warmup'],
  ];
  for (const [name, key] of cases) {
    it(name, () => {
      const expected: number[] = ref.schedules[key].lr;
      const opt = fakeOptimizer(ref.base_lr);
      const s = createScheduler(name, opt, { numWarmupSteps: ref.warmup_steps, numTrainingSteps: ref.total_steps, numCycles: 0.5 });
      const got: number[] = [];
      for (let k = 0; k < expected.length; k++) {
        got.push(opt.paramGroups[0]!.lr);
        s.step();
      }
      got.forEach((g, k) => expect(Math.abs(g - expected[k]!)).toBeLessThanOrEqual(1e-12 * Math.abs(expected[k]!) + 1e-300));
      // The first update of a warmup schedule uses lr 0, as HF's.
      expect(got[0]).toBe(0);
    });
  }

  it('constant keeps the initial lr, and state round-trips', () => {
    const opt = fakeOptimizer(3e-4);
    const s = createScheduler('constant', opt, { numWarmupSteps: 0, numTrainingSteps: 10 });
    for (let i = 0; i < 5; i++) s.step();
    expect(opt.paramGroups[0]!.lr).toBe(3e-4);
    const lin = createScheduler('linear', fakeOptimizer(1e-3), { numWarmupSteps: 5, numTrainingSteps: 20 });
    for (let i = 0; i < 7; i++) lin.step();
    const opt2 = fakeOptimizer(1e-3);
    const lin2 = createScheduler('linear', opt2, { numWarmupSteps: 5, numTrainingSteps: 20 });
    lin2.loadStateDict(lin.stateDict());
    expect(lin2.getLastLr()).toEqual(lin.getLastLr());
    expect(lin2.getLastLr()[0]).toBeCloseTo(ref.schedules.linear.lr[7], 15);
  });

  it('unknown schedule names fail with the registered list', () => {
    expect(() => createScheduler('polynomial-ish', fakeOptimizer(1), { numWarmupSteps: 0, numTrainingSteps: 1 })).toThrow(/linear, cosine/);
  });
});
