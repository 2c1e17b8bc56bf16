// Validation of a search space read from JSON, before any trial runs: each problem is one line that
// names the file and the field, says what was expected and what was found.
import type { CategoricalChoice, ParamSpec, SearchSpace } from './search_space';
import { SpaceError } from './space_error';

export interface ValidateSpaceOptions {
  /** Names the space may use (e.g. the hyperparameters `train` accepts); others are refused. */
  knownParams?: readonly string[];
  /** Shown at the start of each message, e.g. the space file's path. */
  source?: string;
}

const KEYS: Record<ParamSpec['type'], readonly string[]> = {
  float: ['type', 'low', 'high', 'log', 'step', 'when'],
  int: ['type', 'low', 'high', 'log', 'step', 'when'],
  categorical: ['type', 'choices', 'when'],
};

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
const isChoice = (v: unknown): v is CategoricalChoice =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Checks that `raw` (parsed JSON or an object literal) is a search space and returns it typed.
 * Throws {@link SpaceError} with a one-line message naming the field at the first problem.
 */
export function validateSpace(raw: unknown, options: ValidateSpaceOptions = {}): SearchSpace {
  const where = options.source ? `${options.source}: ` : '';
  const fail = (field: string, message: string): never => {
    throw new SpaceError(`${where}${field}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('(top level)', `expected an object of parameter name → {type, ...}, found ${Array.isArray(raw) ? 'an array' : show(raw)}`);
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) fail('(top level)', 'the space has no parameters; add at least one, e.g. "learning_rate": {"type": "float", "low": 1e-5, "high": 1e-3, "log": true}');
  const seen = new Map<string, ParamSpec>();
  for (const [name, spec] of entries) {
    if (options.knownParams && !options.knownParams.includes(name)) {
      fail(name, `unknown parameter; expected one of ${options.knownParams.join(', ')}`);
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(name, `expected an object like {"type": "float", "low": ..., "high": ...}, found ${show(spec)}`);
    const s = spec as Record<string, unknown>;
    const type = s.type;
    if (type !== 'float' && type !== 'int' && type !== 'categorical') fail(`${name}.type`, `expected "float", "int" or "categorical", found ${show(type)}`);
    const t = type as ParamSpec['type'];
    for (const key of Object.keys(s)) {
      if (!KEYS[t].includes(key)) fail(`${name}.${key}`, `unknown field for a ${t} parameter; expected ${KEYS[t].join(', ')}`);
    }
    if (t === 'categorical') {
      if (!Array.isArray(s.choices) || s.choices.length === 0) fail(`${name}.choices`, `expected a non-empty array, found ${show(s.choices)}`);
      (s.choices as unknown[]).forEach((c, i) => {
        if (!isChoice(c)) fail(`${name}.choices[${i}]`, `expected a string, number or boolean, found ${show(c)}`);
      });
      if (new Set(s.choices as unknown[]).size !== (s.choices as unknown[]).length) fail(`${name}.choices`, 'has a repeated value');
    } else {
      for (const key of ['low', 'high'] as const) {
        if (typeof s[key] !== 'number' || !Number.isFinite(s[key])) fail(`${name}.${key}`, `expected a finite number, found ${show(s[key])}`);
        if (t === 'int' && !Number.isInteger(s[key])) fail(`${name}.${key}`, `expected an integer for an int parameter, found ${show(s[key])}`);
      }
      const low = s.low as number;
      const high = s.high as number;
      if (!(low < high)) fail(`${name}.high`, `empty range: high (${high}) must be greater than low (${low})`);
      if (s.log !== undefined && typeof s.log !== 'boolean') fail(`${name}.log`, `expected true or false, found ${show(s.log)}`);
      if (s.log === true && low <= 0) fail(`${name}.low`, `a log range needs low > 0, found ${low}`);
      if (s.step !== undefined) {
        if (typeof s.step !== 'number' || !(s.step > 0)) fail(`${name}.step`, `expected a number > 0, found ${show(s.step)}`);
        if (t === 'int' && !Number.isInteger(s.step)) fail(`${name}.step`, `expected an integer for an int parameter, found ${show(s.step)}`);
        if (s.log === true && (t === 'float' || s.step !== 1)) fail(`${name}.step`, 'a step cannot be combined with log (except int step 1)');
        if ((s.step as number) > high - low) fail(`${name}.step`, `step ${s.step} is larger than the range ${low}..${high}`);
      }
    }
    if (s.when !== undefined) {
      const w = s.when as Record<string, unknown>;
      if (typeof w !== 'object' || w === null || Array.isArray(w)) fail(`${name}.when`, `expected {"param": ..., "values": [...]}, found ${show(s.when)}`);
      for (const key of Object.keys(w)) if (key !== 'param' && key !== 'values') fail(`${name}.when.${key}`, 'unknown field; expected param, values');
      if (typeof w.param !== 'string' || !seen.has(w.param)) {
        fail(`${name}.when.param`, `expected the name of a parameter declared before "${name}", found ${show(w.param)}`);
      }
      if (!Array.isArray(w.values) || w.values.length === 0 || !w.values.every(isChoice)) fail(`${name}.when.values`, `expected a non-empty array of values, found ${show(w.values)}`);
      const parent = seen.get(w.param as string)!;
      if (parent.type === 'categorical') {
        for (const v of w.values as CategoricalChoice[]) {
          if (!parent.choices.includes(v)) fail(`${name}.when.values`, `${show(v)} is not one of ${w.param}'s choices ${show(parent.choices)}`);
        }
      }
    }
    seen.set(name, s as unknown as ParamSpec);
  }
  return Object.fromEntries(seen) as SearchSpace;
}
