// What `attn-classify tune` may search: train settings by their --config names, the default space,
// and a check of a space file against what `train` accepts, before any trial runs.
import { readFileSync } from 'node:fs';
import { validateSpace, SpaceError, type SearchSpace, type Params } from '@attn/tune';
import { isPreset, parseFreezeFlag } from '@attn/cli';
import { CliError } from './cli_error';
import { resolveTrainConfig, TRAIN_DEFAULTS, type TrainConfig } from './train_config';

/** train settings a space may name (the --config keys). */
export const TUNABLE = ['lr', 'batchSize', 'epochs', 'weightDecay', 'warmupRatio', 'dropout', 'freeze', 'optimizer', 'scheduler', 'maxGradNorm', 'patience', 'loraRank', 'seed'] as const;

/**
 * The default space: learning rate, batch size, epochs, weight decay, warmup ratio, freezing, and
 * dropout when the model starts from a preset (a pretrained directory keeps its config's dropout).
 */
export function defaultSpace(model: string): SearchSpace {
  return validateSpace({
    lr: { type: 'float', low: 5e-5, high: 3e-3, log: true },
    batchSize: { type: 'categorical', choices: [16, 32, 64] },
    epochs: { type: 'int', low: 2, high: 5 },
    weightDecay: { type: 'float', low: 0, high: 0.1 },
    warmupRatio: { type: 'float', low: 0, high: 0.2 },
    ...(isPreset(model) ? { dropout: { type: 'float', low: 0, high: 0.3 } } : {}),
    freeze: { type: 'categorical', choices: ['none', 'embeddings', 'bottom:1'] },
  });
}

/** Reads and checks a space file: its shape, its names, and that train accepts every value it can give. */
export function readSpaceFile(path: string, base: Record<string, unknown>): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`--space ${path}: ${(e as Error).message}`);
  }
  try {
    const space = validateSpace(raw, { source: path, knownParams: TUNABLE });
    checkAgainstTrain(space, base, path);
    return space;
  } catch (e) {
    if (e instanceof SpaceError) throw new CliError(e.message);
    throw e;
  }
}

/** Each range end and each choice, given to train's own checks (e.g. warmupRatio above 1, a freeze it cannot parse). */
function checkAgainstTrain(space: SearchSpace, base: Record<string, unknown>, source: string): void {
  for (const [name, spec] of Object.entries(space)) {
    const values = spec.type === 'categorical' ? spec.choices.map((v, i) => [`${name}.choices[${i}]`, v] as const) : ([[`${name}.low`, spec.low], [`${name}.high`, spec.high]] as const);
    for (const [field, value] of values) {
      try {
        if (name === 'freeze') parseFreezeFlag(String(value));
        resolveTrainConfig({ ...base, [name]: value });
      } catch (e) {
        throw new CliError(`${source}: ${field}: train refuses ${JSON.stringify(value)}: ${(e as Error).message.replace(/^--[\w-]+ /, '')}`);
      }
    }
  }
}

/** The train settings of one trial: the base config with the trial's parameters. */
export function trialConfig(base: TrainConfig, params: Params, out: string): TrainConfig {
  return { ...base, ...params, out } as TrainConfig;
}

/** The current defaults as a point of the space, when every one lies inside it (run first, as a baseline). */
export function defaultsInSpace(space: SearchSpace, base: TrainConfig): Params | undefined {
  const params: Params = {};
  for (const [name, spec] of Object.entries(space)) {
    // dropout: a preset's default (0.1) when --dropout was not given.
    const v = (base as unknown as Record<string, unknown>)[name] ?? (TRAIN_DEFAULTS as Record<string, unknown>)[name] ?? (name === 'dropout' ? 0.1 : undefined);
    if (v === undefined) return undefined;
    if (spec.type === 'categorical') {
      if (!spec.choices.includes(v as never)) return undefined;
    } else if (typeof v !== 'number' || v < spec.low || v > spec.high) return undefined;
    params[name] = v as Params[string];
  }
  return params;
}
