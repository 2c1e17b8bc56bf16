// Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 5's defaults: 10 random
// startup trials, gamma(n) = min(ceil(0.1·n), 25) "good" trials, 24 candidates drawn from l(x)
// and the one maximizing l(x)/g(x) kept, older trials down-weighted once there are more than 25,
// a prior kernel of weight 1, the "magic clip" on bandwidths, and multivariate sampling (one joint
// mixture over all parameters that share a condition; Falkner et al. 2018 / Optuna's group option).
// Running trials count as "bad" (Optuna's constant liar), so parallel workers spread out.
import { lossOf, type Direction, type FrozenTrial } from '../frozen_trial';
import { conditionGroups, isActive, type Params } from '../search_space';
import { ParzenEstimator, type ParzenDim, type ParzenOptions } from './parzen_estimator';
import { RandomSampler } from './random_sampler';
import type { SampleContext, Sampler } from './sampler';

export interface TpeOptions extends Partial<ParzenOptions> {
  /** Random trials before TPE starts (counts complete and pruned trials). Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per ask. Default 24. */
  nEiCandidates?: number;
  /** How many trials form l(x) ("good"), given the number of finished trials. */
  gamma?: (n: number) => number;
  /** Weights of the trials in a mixture, oldest first. */
  weights?: (n: number) => number[];
  /** One joint density over the parameters (default true, as Optuna 5) or one per parameter. */
  multivariate?: boolean;
  /** Treat running trials as bad ones so parallel workers do not propose the same point. Default true. */
  constantLiar?: boolean;
}

/** Optuna's default_gamma: the best 10%, at most 25. */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's default_weights: flat up to 25 trials, then a linear ramp from 1/n for the older ones. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  private readonly random = new RandomSampler();
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly weights: (n: number) => number[];
  private readonly multivariate: boolean;
  private readonly constantLiar: boolean;
  private readonly parzen: ParzenOptions;

  constructor(options: TpeOptions = {}) {
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.gamma = options.gamma ?? defaultGamma;
    this.weights = options.weights ?? defaultWeights;
    this.multivariate = options.multivariate ?? true;
    this.constantLiar = options.constantLiar ?? true;
    this.parzen = {
      priorWeight: options.priorWeight ?? 1,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
    };
  }

  sample(context: SampleContext): Params {
    const { space, trials, direction, rng } = context;
    const finished = trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    if (finished.length < this.nStartupTrials) return this.random.sample(context);
    const considered = trials.filter((t) => t.state === 'complete' || t.state === 'pruned' || (this.constantLiar && t.state === 'running'));
    const { below, above } = splitTrials(considered, this.gamma(finished.length), direction);

    const params: Params = {};
    const groups = this.multivariate ? conditionGroups(space) : Object.keys(space).map((name) => [name]);
    for (const names of groups) {
      if (!isActive(space[names[0]!]!, params)) continue;
      const dims: ParzenDim[] = names.map((name) => {
        const spec = space[name]!;
        return spec.type === 'categorical' ? { kind: 'categorical', spec } : { kind: 'numeric', spec };
      });
      const rows = (ts: FrozenTrial[]) =>
        ts.filter((t) => names.every((n) => n in t.params)).map((t) => names.map((n, j) => internal(dims[j]!, t.params[n]!)));
      const obsBelow = rows(below);
      const obsAbove = rows(above);
      const lx = new ParzenEstimator(obsBelow, dims, this.weights(obsBelow.length), this.parzen);
      const gx = new ParzenEstimator(obsAbove, dims, this.weights(obsAbove.length), this.parzen);
      let best: number[] | undefined;
      let bestScore = -Infinity;
      for (const candidate of lx.sample(rng, this.nEiCandidates)) {
        const score = lx.logPdf(candidate) - gx.logPdf(candidate);
        if (best === undefined || score > bestScore) {
          best = candidate;
          bestScore = score;
        }
      }
      names.forEach((name, j) => {
        const dim = dims[j]!;
        params[name] = dim.kind === 'categorical' ? dim.spec.choices[best![j]!]! : best![j]!;
      });
    }
    return params;
  }
}

function internal(dim: ParzenDim, value: Params[string]): number {
  if (dim.kind === 'categorical') return dim.spec.choices.indexOf(value);
  return value as number;
}

/** Sort key of a pruned trial: later last step first, then its last value (NaN last). */
function prunedScore(t: FrozenTrial, direction: Direction): [number, number] {
  const last = t.intermediate.at(-1);
  if (!last) return [1, 0];
  return [-last.step, Number.isNaN(last.value) ? Infinity : lossOf(last.value, direction)];
}

/**
 * The `nBelow` best trials (complete ones by value, then pruned ones by how far they got and how
 * well) form l(x); the rest and the running trials form g(x). Both keep trial-number order,
 * which the weights rely on (newer trials weigh more).
 */
export function splitTrials(trials: readonly FrozenTrial[], nBelow: number, direction: Direction): { below: FrozenTrial[]; above: FrozenTrial[] } {
  const complete = trials.filter((t) => t.state === 'complete').sort((a, b) => lossOf(a.value!, direction) - lossOf(b.value!, direction));
  const pruned = trials.filter((t) => t.state === 'pruned').sort((a, b) => {
    const [sa, va] = prunedScore(a, direction);
    const [sb, vb] = prunedScore(b, direction);
    return sa - sb || (va < vb ? -1 : va > vb ? 1 : 0);
  });
  const running = trials.filter((t) => t.state === 'running');
  const nc = Math.min(nBelow, complete.length);
  const np = Math.min(Math.max(0, nBelow - nc), pruned.length);
  const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
  const below = [...complete.slice(0, nc), ...pruned.slice(0, np)].sort(byNumber);
  const above = [...complete.slice(nc), ...pruned.slice(np), ...running].sort(byNumber);
  return { below, above };
}
