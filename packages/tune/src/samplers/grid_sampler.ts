import { gridValues, isActive, paramsKey, type Params, type SearchSpace } from '../search_space';
import { SpaceError } from '../space_error';
import { Rng } from '../rng';
import type { SampleContext, Sampler } from './sampler';

/** Every combination of the space's grid values, conditional parameters only where active. */
export function gridPoints(space: SearchSpace): Params[] {
  const names = Object.keys(space);
  for (const name of names) {
    if (!gridValues(space[name]!)) throw new SpaceError(`${name}: the grid sampler needs a step for a float parameter (or make it categorical)`);
  }
  const out: Params[] = [];
  const walk = (i: number, params: Params) => {
    if (i === names.length) {
      out.push({ ...params });
      return;
    }
    const spec = space[names[i]!]!;
    if (!isActive(spec, params)) return walk(i + 1, params);
    for (const v of gridValues(spec)!) {
      params[names[i]!] = v;
      walk(i + 1, params);
    }
    delete params[names[i]!];
  };
  walk(0, {});
  return out;
}

/**
 * Visits the grid in an order shuffled once by the study seed, skipping points already tried
 * (so a resumed or parallel study does not repeat one); returns null when the grid is done.
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  private order?: Params[];

  constructor(private readonly options: { seed?: number; shuffle?: boolean } = {}) {}

  sample({ space, trials }: SampleContext): Params | null {
    if (!this.order) {
      this.order = gridPoints(space);
      if (this.options.shuffle !== false) {
        // One fixed order per study: the per-trial stream would reshuffle each time.
        new Rng(this.options.seed ?? 0, 0x67726964).shuffle(this.order);
      }
    }
    const used = new Set(trials.filter((t) => !t.interrupted).map((t) => paramsKey(t.params)));
    return this.order.find((p) => !used.has(paramsKey(p))) ?? null;
  }
}
