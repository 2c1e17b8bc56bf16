// A Parzen estimator (Bergstra et al. 2011, "Algorithms for Hyper-Parameter Optimization", §4):
// a mixture with one kernel per observed trial plus one prior kernel spanning the whole range.
// Numeric parameters use truncated normals (in log space for log parameters, with a half-step
// margin for stepped ones); categorical ones use a smoothed one-hot per trial. The mixture is a
// product over parameters per kernel, so with several parameters it models them jointly
// (multivariate TPE, Falkner et al. 2018), and with one it is the independent TPE of the paper.
import { logGaussMass, truncNormSample } from '../truncated_normal';
import type { Rng } from '../rng';
import { snap, stepOf, type CategoricalParam, type NumericParam } from '../search_space';

export interface ParzenOptions {
  /** Weight of the prior kernel relative to one observation (Optuna: 1.0). */
  priorWeight: number;
  /** Bandwidths no smaller than range / min(100, kernels + 1) (Optuna/hyperopt's "magic clip"). */
  considerMagicClip: boolean;
  /** Let the distance to a range end widen the outermost kernels (Optuna: false). */
  considerEndpoints: boolean;
}

export type ParzenDim =
  | { kind: 'numeric'; spec: NumericParam }
  | { kind: 'categorical'; spec: CategoricalParam };

interface NumericKernels {
  kind: 'numeric';
  spec: NumericParam;
  log: boolean;
  step?: number;
  /** Range ends in the transformed space (log, and widened by half a step). */
  low: number;
  high: number;
  mus: Float64Array;
  sigmas: Float64Array;
  /** log of each kernel's mass inside [low, high]: the truncation's normalizer. */
  logMass: Float64Array;
}

interface CategoricalKernels {
  kind: 'categorical';
  /** [kernel][choice] probabilities. */
  probs: Float64Array[];
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export class ParzenEstimator {
  private readonly logWeights: Float64Array;
  private readonly weights: Float64Array;
  private readonly kernels: (NumericKernels | CategoricalKernels)[];

  /**
   * @param observations one row per trial (oldest first), one column per dim: the parameter's value
   *   for numeric dims, the choice index for categorical ones.
   * @param weights one weight per observation (before the prior is added).
   */
  constructor(observations: readonly (readonly number[])[], dims: readonly ParzenDim[], weights: readonly number[], options: ParzenOptions) {
    const n = observations.length;
    const w = n === 0 ? [1] : [...weights.slice(0, n), options.priorWeight];
    const total = w.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(w, (x) => x / total);
    this.logWeights = this.weights.map(Math.log);
    this.kernels = dims.map((dim, j) => {
      const column = observations.map((row) => row[j]!);
      return dim.kind === 'numeric' ? numericKernels(column, dim.spec, options) : categoricalKernels(column, dim.spec, options);
    });
  }

  /** Draws `size` points (rows in the observation layout). */
  sample(rng: Rng, size: number): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < size; s++) {
      const k = rng.choice(this.weights);
      out.push(
        this.kernels.map((kern) => {
          if (kern.kind === 'categorical') return rng.choice(kern.probs[k]!);
          const x = truncNormSample(rng.random(), kern.mus[k]!, kern.sigmas[k]!, kern.low, kern.high);
          const v = kern.log ? Math.exp(x) : x;
          return kern.step !== undefined || kern.spec.type === 'int' ? snap(kern.spec, v) : Math.min(Math.max(v, kern.spec.low), kern.spec.high);
        }),
      );
    }
    return out;
  }

  /** log density (log probability mass for discrete dims) of one point under the mixture. */
  logPdf(point: readonly number[]): number {
    const nk = this.weights.length;
    const terms = Float64Array.from(this.logWeights);
    this.kernels.forEach((kern, j) => {
      const x = point[j]!;
      if (kern.kind === 'categorical') {
        for (let k = 0; k < nk; k++) terms[k]! += Math.log(kern.probs[k]![x]!);
        return;
      }
      const t = (v: number) => (kern.log ? Math.log(v) : v);
      if (kern.step !== undefined) {
        const left = t(x - kern.step / 2);
        const right = t(x + kern.step / 2);
        for (let k = 0; k < nk; k++) {
          const mu = kern.mus[k]!;
          const sigma = kern.sigmas[k]!;
          terms[k]! += logGaussMass((left - mu) / sigma, (right - mu) / sigma) - kern.logMass[k]!;
        }
      } else {
        const tx = t(x);
        for (let k = 0; k < nk; k++) {
          const z = (tx - kern.mus[k]!) / kern.sigmas[k]!;
          terms[k]! += -0.5 * z * z - LOG_SQRT_2PI - Math.log(kern.sigmas[k]!) - kern.logMass[k]!;
        }
      }
    });
    let max = -Infinity;
    for (const v of terms) if (v > max) max = v;
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (const v of terms) sum += Math.exp(v - max);
    return max + Math.log(sum);
  }
}

function numericKernels(column: readonly number[], spec: NumericParam, options: ParzenOptions): NumericKernels {
  const step = stepOf(spec);
  const log = spec.log === true;
  const t = (v: number) => (log ? Math.log(v) : v);
  const low = t(step !== undefined ? spec.low - step / 2 : spec.low);
  const high = t(step !== undefined ? spec.high + step / 2 : spec.high);
  const mus = column.map(t);
  const n = mus.length;
  // Bandwidth of each kernel: the larger gap to its sorted neighbours (the range ends count as
  // neighbours; without considerEndpoints the outermost kernels ignore the end side).
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]!);
  const sorted = [low, ...order.map((i) => mus[i]!), high];
  const sortedSigmas = order.map((_, r) => Math.max(sorted[r + 1]! - sorted[r]!, sorted[r + 2]! - sorted[r + 1]!));
  if (!options.considerEndpoints && sorted.length >= 4) {
    sortedSigmas[0] = sorted[2]! - sorted[1]!;
    sortedSigmas[n - 1] = sorted[n]! - sorted[n - 1]!;
  }
  const maxSigma = high - low;
  const minSigma = options.considerMagicClip ? (high - low) / Math.min(100, 1 + (n + 1)) : 1e-12;
  const sigmas = new Array<number>(n);
  order.forEach((i, r) => (sigmas[i] = Math.min(Math.max(sortedSigmas[r]!, minSigma), maxSigma)));
  const allMus = Float64Array.from([...mus, 0.5 * (low + high)]);
  const allSigmas = Float64Array.from([...sigmas, high - low]);
  const logMass = allMus.map((mu, k) => logGaussMass((low - mu) / allSigmas[k]!, (high - mu) / allSigmas[k]!));
  return { kind: 'numeric', spec, log, step, low, high, mus: allMus, sigmas: allSigmas, logMass };
}

function categoricalKernels(column: readonly number[], spec: CategoricalParam, options: ParzenOptions): CategoricalKernels {
  const c = spec.choices.length;
  if (column.length === 0) return { kind: 'categorical', probs: [new Float64Array(c).fill(1 / c)] };
  const nKernels = column.length + 1;
  const probs = Array.from({ length: nKernels }, () => new Float64Array(c).fill(options.priorWeight / nKernels));
  column.forEach((idx, k) => (probs[k]![idx]! += 1));
  for (const row of probs) {
    const s = row.reduce((a, b) => a + b, 0);
    for (let i = 0; i < c; i++) row[i]! /= s || 1;
  }
  return { kind: 'categorical', probs };
}
