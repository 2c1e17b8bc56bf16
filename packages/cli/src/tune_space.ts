// What `tune` may search: train settings by their --config names (the flags in camelCase), a default
// space, and a check of a space file against what the app's `train` accepts, before any trial runs.
import { readFileSync } from 'node:fs';
import { validateSpace, SpaceError, type SearchSpace, type Params } from '@attn/tune';
import { CliError } from './cli_error';
import { isPreset } from './model_source';

/** The shared training settings a space may name (addTrainingOptions' flags, as --config keys). */
export const TUNABLE_TRAINING_SETTINGS = ['lr', 'batchSize', 'epochs', 'weightDecay', 'warmupRatio', 'dropout', 'freeze', 'optimizer', 'maxGradNorm', 'patience', 'seed'] as const;

/** The ranges an app's default space gives the settings whose good values depend on the task. */
export interface DefaultSpaceRanges {
  /** Learning rate, searched on a log scale. */
  lr: [low: number, high: number];
  batchSize: number[];
  epochs: [low: number, high: number];
}

/**
 * The default space: learning rate (log), batch size, epochs, weight decay 0..0.1, warmup ratio
 * 0..0.2, freezing {none, embeddings, bottom:1}, and dropout 0..0.3 when the model starts from a
 * preset (a pretrained directory keeps its config's dropout).
 */
export function defaultTuneSpace(ranges: DefaultSpaceRanges, model: string): SearchSpace {
  return validateSpace({
    lr: { type: 'float', low: ranges.lr[0], high: ranges.lr[1], log: true },
    batchSize: { type: 'categorical', choices: ranges.batchSize },
    epochs: { type: 'int', low: ranges.epochs[0], high: ranges.epochs[1] },
    weightDecay: { type: 'float', low: 0, high: 0.1 },
    warmupRatio: { type: 'float', low: 0, high: 0.2 },
    ...(isPreset(model) ? { dropout: { type: 'float', low: 0, high: 0.3 } } : {}),
    freeze: { type: 'categorical', choices: ['none', 'embeddings', 'bottom:1'] },
  });
}

/**
 * Train settings as the command line hands them to an action: numbers as text (`"32"`), switches
 * as booleans. Settings from JSON (a config file, a trial's parameters) go through this before a check.
 */
export function asFlagValues(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
}

/**
 * Reads and checks a space file: its JSON, its shape (validateSpace), its names (`tunable`), and that
 * `check` (the app's train flag checks) accepts every range end and every choice over `base`.
 * Each problem is one CliError line naming the file and the field.
 */
export function readTuneSpace(path: string, tunable: readonly string[], check: (settings: Record<string, unknown>) => void, base: Record<string, unknown>): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`--space ${path}: ${(e as Error).message}`);
  }
  let space: SearchSpace;
  try {
    space = validateSpace(raw, { source: path, knownParams: tunable });
  } catch (e) {
    if (e instanceof SpaceError) throw new CliError(e.message);
    throw e;
  }
  for (const [name, spec] of Object.entries(space)) {
    const values = spec.type === 'categorical' ? spec.choices.map((v, i) => [`${name}.choices[${i}]`, v] as const) : ([[`${name}.low`, spec.low], [`${name}.high`, spec.high]] as const);
    for (const [field, value] of values) {
      try {
        check(asFlagValues({ ...base, [name]: value }));
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        throw new CliError(`${path}: ${field}: train refuses ${JSON.stringify(value)}: ${e.message.replace(/^--[\w-]+ /, '')}`);
      }
    }
  }
  return space;
}

/**
 * The settings `train` would use, as a point of the space, when every one lies inside it (a study
 * runs it first, as a baseline). `settings` holds the given values over train's defaults; a
 * preset's dropout is 0.1 when none is given.
 */
export function defaultsInSpace(space: SearchSpace, settings: Record<string, unknown>): Params | undefined {
  const params: Params = {};
  for (const [name, spec] of Object.entries(space)) {
    let v = settings[name] ?? (name === 'dropout' ? 0.1 : undefined);
    if (v === undefined) return undefined;
    // Text from the command line ("32") against numeric bounds or choices.
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && (spec.type !== 'categorical' || spec.choices.some((c) => typeof c === 'number'))) v = Number(v);
    if (spec.type === 'categorical') {
      if (!spec.choices.includes(v as never)) return undefined;
    } else if (typeof v !== 'number' || v < spec.low || v > spec.high || (spec.type === 'int' && !Number.isInteger(v))) return undefined;
    params[name] = v as Params[string];
  }
  return params;
}
