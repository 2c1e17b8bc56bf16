import type { TextEncoding } from '@attn/data';
import { encodingFlag, maxLengthFlag, optimizerFlag, readConfigFile, resolveCheckpointFlags } from '@attn/cli';
import { CliError } from './cli_error';
import { DEFAULT_MODEL } from './model_source';

/** Every `train` setting; a JSON config file (`--config`) uses the same keys. */
export interface TrainConfig {
  train: string;
  dev?: string;
  test?: string;
  /** HF-format directory, or a preset name (bert-tiny, bert-mini, ...) to start from random weights. */
  model: string;
  /** vocab.txt or tokenizer.json for a model started from a preset (default: bundled bert-base-uncased vocab). */
  tokenizer?: string;
  out: string;
  textColumn: string;
  textPairColumn?: string;
  labelColumn: string;
  /**
   * Names for the label column's values 0..n-1 (GLUE files hold 0 / 1): what config.json's id2label,
   * predict and the reports show, e.g. ["negative", "positive"] for SST-2. Default: the values as written.
   */
  labelNames?: string[];
  optimizer: 'adamw' | 'sgd';
  lr: number;
  batchSize: number;
  epochs: number;
  weightDecay: number;
  warmupRatio: number;
  scheduler: string;
  dropout?: number;
  patience: number;
  freeze: string;
  loraRank: number;
  seed: number;
  maxLength: number;
  maxGradNorm: number;
  backend?: string;
  /** Use at most this many training examples (0 = all). */
  limit: number;
  /** How the data files are decoded: utf8 (strict) or latin1. */
  encoding: TextEncoding;
  /** Checkpoints in `out` (checkpoint-<step>): after every epoch, every saveSteps updates, or never. */
  saveStrategy: 'epoch' | 'steps' | 'no';
  saveSteps: number;
  /** Keep only the newest n checkpoints (the best is never deleted). */
  saveTotalLimit?: number;
  /** Continue from this checkpoint directory, or true for the newest in `out`. */
  resume?: string | boolean;
}

export const TRAIN_DEFAULTS: Omit<TrainConfig, 'train' | 'model' | 'out'> = {
  textColumn: 'sentence',
  labelColumn: 'label',
  optimizer: 'adamw',
  lr: 5e-4,
  batchSize: 32,
  epochs: 3,
  weightDecay: 0.01,
  warmupRatio: 0.1,
  scheduler: 'linear',
  patience: 2,
  freeze: 'none',
  loraRank: 0,
  seed: 42,
  maxLength: 128,
  maxGradNorm: 1,
  limit: 0,
  encoding: 'utf8',
  saveStrategy: 'epoch',
  saveSteps: 500,
};

const NUMERIC: Array<keyof TrainConfig> = ['lr', 'batchSize', 'epochs', 'weightDecay', 'warmupRatio', 'dropout', 'patience', 'loraRank', 'seed', 'maxLength', 'maxGradNorm', 'limit'];

/** Defaults ← JSON config file ← command-line flags; checked, with one-line errors. */
export function resolveTrainConfig(flags: Record<string, unknown>): TrainConfig {
  let fromFile: Record<string, unknown> = {};
  if (typeof flags.config === 'string') {
    // Strict, as the data files: a Latin-1 config is an error naming its line, not U+FFFD in a column name.
    fromFile = readConfigFile(flags.config, [...Object.keys(TRAIN_DEFAULTS), 'train', 'dev', 'test', 'model', 'tokenizer', 'out', 'textPairColumn', 'labelNames', 'dropout', 'backend', 'saveTotalLimit', 'resume']);
  }
  const given = Object.fromEntries(Object.entries(flags).filter(([k, v]) => v !== undefined && k !== 'config'));
  const cfg = { ...TRAIN_DEFAULTS, model: DEFAULT_MODEL, ...fromFile, ...given } as Record<string, unknown>;
  for (const key of NUMERIC) {
    if (cfg[key] === undefined) continue;
    const v = cfg[key];
    // Number('') and Number(null) are 0 and Number(true) is 1: only numbers and numeric text count.
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new CliError(`--${kebab(key)} must be a number; got ${JSON.stringify(cfg[key])}.`);
    cfg[key] = n;
  }
  for (const key of ['train', 'model', 'out'] as const) {
    if (typeof cfg[key] !== 'string' || !cfg[key]) throw new CliError(`--${key} is required (or set "${key}" in the --config file).`);
  }
  for (const key of ['dev', 'test', 'tokenizer', 'textColumn', 'textPairColumn', 'labelColumn', 'scheduler', 'freeze', 'backend', 'encoding'] as const) {
    if (cfg[key] !== undefined && typeof cfg[key] !== 'string') throw new CliError(`--${kebab(key)} must be a string; got ${JSON.stringify(cfg[key])}.`);
  }
  cfg.optimizer = optimizerFlag(cfg.optimizer);
  if (cfg.labelNames !== undefined) cfg.labelNames = labelNamesFlag(cfg.labelNames);
  if (!Number.isInteger(cfg.batchSize) || (cfg.batchSize as number) < 1) throw new CliError(`--batch-size must be a positive integer; got ${cfg.batchSize}.`);
  if (!((cfg.epochs as number) > 0)) throw new CliError(`--epochs must be positive; got ${cfg.epochs}.`);
  // The rest of the ranges, checked before any data or model is loaded.
  const range = (key: string, ok: (n: number) => boolean, rule: string) => {
    if (cfg[key] !== undefined && !ok(cfg[key] as number)) throw new CliError(`--${kebab(key)} must be ${rule}; got ${cfg[key]}.`);
  };
  range('lr', (n) => n >= 0, 'a number >= 0');
  range('weightDecay', (n) => n >= 0, 'a number >= 0');
  range('warmupRatio', (n) => n >= 0 && n <= 1, 'in [0, 1]');
  range('dropout', (n) => n >= 0 && n <= 1, 'in [0, 1]');
  range('maxGradNorm', (n) => n >= 0, 'a number >= 0 (0 = no clipping)');
  range('patience', (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  range('loraRank', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0');
  range('seed', Number.isInteger, 'an integer');
  range('maxLength', (n) => Number.isInteger(n) && n >= 8, 'an integer >= 8');
  range('limit', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0 (0 = all)');
  // Longer than the model's position embeddings would crash on the first long text, mid-run.
  maxLengthFlag(cfg.maxLength as number, { model: cfg.model as string });
  cfg.encoding = encodingFlag(cfg.encoding as string);
  Object.assign(cfg, resolveCheckpointFlags({
    saveStrategy: cfg.saveStrategy as string,
    saveSteps: String(cfg.saveSteps),
    saveTotalLimit: cfg.saveTotalLimit === undefined ? undefined : String(cfg.saveTotalLimit),
  }));
  if (cfg.saveTotalLimit === undefined) delete cfg.saveTotalLimit;
  return cfg as unknown as TrainConfig;
}

/** `--label-names negative,positive` (or a JSON array in --config): two or more distinct, non-empty names. */
function labelNamesFlag(v: unknown): string[] {
  const names = typeof v === 'string' ? v.split(',').map((n) => n.trim()) : v;
  if (!Array.isArray(names) || names.length < 2 || names.some((n) => typeof n !== 'string' || n === '') || new Set(names).size !== names.length) {
    throw new CliError(`--label-names must be two or more distinct names for the labels 0, 1, ... (e.g. negative,positive); got ${JSON.stringify(v)}.`);
  }
  return names as string[];
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
