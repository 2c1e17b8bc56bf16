// A search space is an ordered map of parameter name → distribution, as Optuna's `suggest_*` calls
// would declare them, written once up front (a JSON file or an object literal). A parameter with
// `when` exists only in trials where an earlier parameter took one of the listed values.

export type CategoricalChoice = string | number | boolean;

/** The trial is given this parameter only when `param` took one of `values` (an earlier parameter). */
export interface Condition {
  param: string;
  values: readonly CategoricalChoice[];
}

export interface FloatParam {
  type: 'float';
  low: number;
  high: number;
  /** Sample log(x) uniformly (learning rates, weight decay). Needs low > 0. */
  log?: boolean;
  /** Discretize to low + k·step (not with log). */
  step?: number;
  when?: Condition;
}

export interface IntParam {
  type: 'int';
  low: number;
  high: number;
  log?: boolean;
  /** Default 1. */
  step?: number;
  when?: Condition;
}

export interface CategoricalParam {
  type: 'categorical';
  choices: readonly CategoricalChoice[];
  when?: Condition;
}

export type ParamSpec = FloatParam | IntParam | CategoricalParam;
export type NumericParam = FloatParam | IntParam;

/** Parameter name → distribution, in the order parameters are sampled. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

/** The values of one trial's parameters (inactive conditional parameters are absent). */
export type Params = Record<string, CategoricalChoice>;

/** Whether `spec` exists in a trial whose earlier parameters are `params`. */
export function isActive(spec: ParamSpec, params: Readonly<Params>): boolean {
  if (!spec.when) return true;
  if (!(spec.when.param in params)) return false;
  return spec.when.values.some((v) => v === params[spec.when!.param]);
}

/** The step of a numeric parameter (int defaults to 1), or undefined for a continuous float. */
export function stepOf(spec: NumericParam): number | undefined {
  return spec.type === 'int' ? (spec.step ?? 1) : spec.step;
}

/** Snaps a value onto a numeric parameter's grid and range (and to an integer for `int`). */
export function snap(spec: NumericParam, x: number): number {
  const step = stepOf(spec);
  let v = x;
  if (step !== undefined) v = spec.low + Math.round((v - spec.low) / step) * step;
  v = Math.min(Math.max(v, spec.low), spec.high);
  if (spec.type === 'int') return Math.round(v);
  // Remove float noise from low + k·step (0.1 + 2·0.1 → 0.30000000000000004).
  return step !== undefined ? Number(v.toPrecision(12)) : v;
}

/** Grid values of a discrete parameter (all choices, or low, low+step, ... ≤ high). */
export function gridValues(spec: ParamSpec): CategoricalChoice[] | undefined {
  if (spec.type === 'categorical') return [...spec.choices];
  const step = stepOf(spec);
  if (step === undefined) return undefined;
  const n = Math.floor((spec.high - spec.low) / step + 1e-9) + 1;
  return Array.from({ length: n }, (_, k) => snap(spec, spec.low + k * step));
}

/** Parameters grouped by the condition that activates them (the unconditional group first). */
export function conditionGroups(space: SearchSpace): string[][] {
  const groups = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(space)) {
    const key = spec.when ? JSON.stringify([spec.when.param, [...spec.when.values]]) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(name);
  }
  return [...groups.values()];
}

/** A stable string for a parameter set (keys sorted), to compare trials. */
export function paramsKey(params: Readonly<Params>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}
