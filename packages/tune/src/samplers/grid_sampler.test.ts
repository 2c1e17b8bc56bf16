import { describe, expect, it } from 'vitest';
import { Study } from '../study';
import { gridPoints } from './grid_sampler';
import { SpaceError } from '../space_error';

describe('GridSampler', () => {
  const space = {
    batch_size: { type: 'categorical', choices: [16, 32] },
    epochs: { type: 'int', low: 2, high: 4 },
    freeze: { type: 'categorical', choices: ['none', 'layers'] },
    freeze_layers: { type: 'int', low: 1, high: 2, when: { param: 'freeze', values: ['layers'] } },
  } as const;

  it('enumerates conditional parameters only where active', () => {
    // 2 batch sizes × 3 epochs × (none + layers×2) = 18
    expect(gridPoints(space)).toHaveLength(18);
    expect(gridPoints(space).filter((p) => 'freeze_layers' in p).every((p) => p.freeze === 'layers')).toBe(true);
  });

  it('visits every point once, then stops; a resumed study does not repeat one', async () => {
    const study = Study.open({ space, sampler: 'grid', seed: 1 });
    await study.optimize(() => 0, { nTrials: 10 });
    const again = Study.open({ space, sampler: 'grid', seed: 1 });
    for (const t of study.trials) {
      again.ask();
      again.tell(t.number, { state: 'complete', value: 0 });
    }
    await study.optimize(() => 0, { nTrials: 100 });
    expect(study.trials).toHaveLength(18);
    expect(new Set(study.trials.map((t) => JSON.stringify(t.params))).size).toBe(18);
  });

  it('refuses a continuous float with a message naming it', () => {
    expect(() => gridPoints({ lr: { type: 'float', low: 0, high: 1 } })).toThrow(new SpaceError('lr: the grid sampler needs a step for a float parameter (or make it categorical)'));
  });
});
