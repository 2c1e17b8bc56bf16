import { describe, expect, it } from 'vitest';
import { Study } from './study';
import { historySvg, paramSvg } from './study_charts';

describe('study charts', () => {
  it('draw the objective by trial with the running best, and against each parameter', async () => {
    const space = { lr: { type: 'float', low: 1e-5, high: 1e-2, log: true }, batch_size: { type: 'categorical', choices: [16, 32] } } as const;
    const s = Study.open({ space, direction: 'maximize', sampler: 'random', seed: 3 });
    await s.optimize((t) => -Math.abs(Math.log10(t.params.lr as number) + 3.5), { nTrials: 6 });
    const history = historySvg(s.trials, s.direction);
    expect(history.match(/data-series="complete"/g)).toHaveLength(6);
    const best = /data-series="best so far" points="([^"]+)"/.exec(history)![1]!.split(' ').map((p) => Number(p.split(',')[1]));
    // SVG y grows downward: the running best of a maximization never moves down the page.
    for (let i = 1; i < best.length; i++) expect(best[i]!).toBeLessThanOrEqual(best[i - 1]!);
    expect(paramSvg(s.trials, s.space, 'lr')).toContain('log10 lr');
    expect(paramSvg(s.trials, s.space, 'batch_size')).toContain('batch_size (0 = 16, 1 = 32)');
  });
});
