import { GridSampler } from './samplers/grid_sampler';
import { RandomSampler } from './samplers/random_sampler';
import type { Sampler } from './samplers/sampler';
import { TpeSampler, type TpeOptions } from './samplers/tpe_sampler';
import { AshaPruner, type AshaPrunerOptions } from './pruners/asha_pruner';
import { MedianPruner, type MedianPrunerOptions } from './pruners/median_pruner';
import { NopPruner, type Pruner } from './pruners/pruner';

type SamplerFactory = (options: { seed: number } & Record<string, unknown>) => Sampler;
type PrunerFactory = (options: Record<string, unknown>) => Pruner;

const samplers = new Map<string, SamplerFactory>([
  ['random', () => new RandomSampler()],
  ['grid', (o) => new GridSampler({ seed: o.seed })],
  ['tpe', (o) => new TpeSampler(o as TpeOptions)],
  ['tpe-independent', (o) => new TpeSampler({ ...(o as TpeOptions), multivariate: false })],
]);

const pruners = new Map<string, PrunerFactory>([
  ['none', () => new NopPruner()],
  ['median', (o) => new MedianPruner(o as MedianPrunerOptions)],
  ['asha', (o) => new AshaPruner(o as AshaPrunerOptions)],
]);

/** Adds a sampler that `--sampler <name>` and `createSampler(name)` can pick. */
export function registerSampler(name: string, factory: SamplerFactory): void {
  samplers.set(name, factory);
}

/** Adds a pruner that `--pruner <name>` and `createPruner(name)` can pick. */
export function registerPruner(name: string, factory: PrunerFactory): void {
  pruners.set(name, factory);
}

export const samplerNames = (): string[] => [...samplers.keys()];
export const prunerNames = (): string[] => [...pruners.keys()];

export function createSampler(name: string, options: { seed?: number } & Record<string, unknown> = {}): Sampler {
  const f = samplers.get(name);
  if (!f) throw new RangeError(`unknown sampler "${name}"; expected one of ${samplerNames().join(', ')}`);
  return f({ ...options, seed: options.seed ?? 0 });
}

export function createPruner(name: string, options: Record<string, unknown> = {}): Pruner {
  const f = pruners.get(name);
  if (!f) throw new RangeError(`unknown pruner "${name}"; expected one of ${prunerNames().join(', ')}`);
  return f(options);
}
