import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../frozen_trial';
import { Study } from '../study';
import { defaultGamma, defaultWeights, splitTrials, TpeSampler } from './tpe_sampler';

const trial = (number: number, state: FrozenTrial['state'], value?: number, intermediate: [number, number][] = []): FrozenTrial => ({
  number, state, value, params: {}, intermediate: intermediate.map(([step, v]) => ({ step, value: v })), startedAt: 0,
});

describe('TPE defaults (Optuna 5)', () => {
  it('gamma takes the best 10%, at most 25', () => {
    expect([1, 10, 11, 50, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 5, 25, 25]);
  });
  it('weights are flat up to 25 trials, then ramp up from 1/n for the oldest', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });
});

describe('splitTrials', () => {
  it('puts the best complete trials below, then the pruned ones that got furthest; running trials above', () => {
    const ts = [trial(0, 'complete', 5), trial(1, 'complete', 1), trial(2, 'pruned', 9, [[1, 9], [2, 9]]), trial(3, 'pruned', 0, [[1, 0]]), trial(4, 'running'), trial(5, 'complete', 3)];
    const { below, above } = splitTrials(ts, 4, 'minimize');
    expect(below.map((t) => t.number)).toEqual([0, 1, 2, 5]);
    expect(above.map((t) => t.number)).toEqual([3, 4]);
    const max = splitTrials(ts, 1, 'maximize');
    expect(max.below.map((t) => t.number)).toEqual([0]);
  });
});

describe('TpeSampler', () => {
  const quadratic = (p: Record<string, unknown>) => ((p.x as number) - 0.3) ** 2 + ((p.y as number) + 0.2) ** 2 + (p.c === 'b' ? 0 : 0.5);
  const space = {
    x: { type: 'float', low: -1, high: 1 },
    y: { type: 'float', low: -1, high: 1 },
    c: { type: 'categorical', choices: ['a', 'b', 'c'] },
  } as const;

  it('samples randomly for the first 10 trials, then beats random search (both modes)', async () => {
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const runs = async (sampler: string) => {
      const best: number[] = [];
      for (let seed = 0; seed < 9; seed++) {
        const s = Study.open({ space, sampler, seed });
        await s.optimize((t) => quadratic(t.params), { nTrials: 40 });
        best.push(s.bestValue!);
      }
      return median(best);
    };
    const random = await runs('random');
    expect(await runs('tpe')).toBeLessThan(random / 2);
    expect(await runs('tpe-independent')).toBeLessThan(random / 2);
  });

  it('is reproducible from the seed and its first 10 trials equal the random sampler\'s', async () => {
    const a = Study.open({ space, sampler: 'tpe', seed: 3 });
    const b = Study.open({ space, sampler: 'tpe', seed: 3 });
    const r = Study.open({ space, sampler: 'random', seed: 3 });
    for (const s of [a, b, r]) await s.optimize((t) => quadratic(t.params), { nTrials: 15 });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    expect(a.trials.slice(0, 10).map((t) => t.params)).toEqual(r.trials.slice(0, 10).map((t) => t.params));
    expect(a.trials.slice(10).map((t) => t.params)).not.toEqual(r.trials.slice(10).map((t) => t.params));
  });

  it('samples a conditional parameter only when its condition holds, and learns inside the branch', async () => {
    const cond = {
      optimizer: { type: 'categorical', choices: ['adamw', 'sgd'] },
      momentum: { type: 'float', low: 0, high: 1, when: { param: 'optimizer', values: ['sgd'] } },
      lr: { type: 'float', low: 1e-5, high: 1, log: true },
    } as const;
    for (const multivariate of [true, false]) {
      const s = Study.open({ space: cond, sampler: new TpeSampler({ multivariate }), seed: 1 });
      await s.optimize((t) => (t.params.optimizer === 'sgd' ? Math.abs((t.params.momentum as number) - 0.9) : 1) + Math.abs(Math.log10(t.params.lr as number) + 3), { nTrials: 60 });
      for (const t of s.trials) expect('momentum' in t.params).toBe(t.params.optimizer === 'sgd');
      expect(s.bestValue!).toBeLessThan(0.35);
      expect(s.trials.slice(40).filter((t) => t.params.optimizer === 'sgd').length).toBeGreaterThan(12);
    }
  });

  it('spreads parallel asks: a running trial is treated as a bad one (constant liar)', () => {
    const s = Study.open({ space: { x: { type: 'float', low: 0, high: 1 } }, sampler: new TpeSampler({ nStartupTrials: 2 }), seed: 2 });
    for (let i = 0; i < 12; i++) {
      const t = s.ask()!;
      s.tell(t.number, { state: 'complete', value: Math.abs((t.params.x as number) - 0.5) });
    }
    const a = s.ask()!;
    const b = s.ask()!;
    expect(a.params.x).not.toBe(b.params.x);
  });
});
