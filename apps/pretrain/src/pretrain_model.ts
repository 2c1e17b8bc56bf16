import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tf, Generator } from '@attn/tensor';
import { createModel, familyOf, presetConfig, registeredPresets, type PretrainedConfig, type TaskModel } from '@attn/models';
import { CliError } from '@attn/cli';

/** What pretraining learns: BERT's masked-LM or GPT-2 / Llama's next-token prediction. */
export type Objective = 'mlm' | 'clm';

export const OBJECTIVE_TASK = { mlm: 'masked-lm', clm: 'causal-lm' } as const;

/**
 * The model config a run starts from: `--config` (a registered preset name, a config.json file, a
 * directory holding one, or inline JSON), else `--preset` (BERT presets; the MLM default is
 * bert-tiny). The vocabulary size and pad id come from the tokenizer; `dropout` (when given) sets
 * every dropout probability of the family.
 */
export function resolveModelConfig(
  spec: { config?: string; preset?: string; objective: Objective },
  tokenizer: { vocabSize: number; padTokenId?: number },
  dropout?: number,
): PretrainedConfig {
  const source = spec.config ?? spec.preset ?? (spec.objective === 'mlm' ? 'bert-tiny' : undefined);
  if (source === undefined) {
    throw new CliError('--objective clm needs --config: a GPT-2 or Llama config.json (file or directory) or inline JSON such as {"model_type":"gpt2","n_layer":2,"n_embd":128,"n_head":2}.');
  }
  const overrides: Record<string, unknown> = { vocab_size: tokenizer.vocabSize };
  if (tokenizer.padTokenId !== undefined) overrides['pad_token_id'] = tokenizer.padTokenId;
  let config: PretrainedConfig;
  if (registeredPresets().includes(source)) {
    config = presetConfig(source, overrides);
    // BERT's 512 positions, as the shipped checkpoints (a later phase may train longer segments).
    if (config.modelType === 'bert') config = config.with({ max_position_embeddings: 512 });
  } else {
    const json = configJson(source, spec.config !== undefined ? '--config' : '--preset');
    const modelType = json['model_type'];
    if (typeof modelType !== 'string') throw new CliError(`--config ${source}: no "model_type" field; set it to "bert", "gpt2" or "llama".`);
    const family = familyOf(modelType, `--config ${source}`);
    // The head follows from --objective; a config written for another head still gives its body.
    const { architectures: _drop, ...rest } = json;
    config = family.configClass.fromJSON({ ...rest, ...overrides }, `--config ${source}`);
  }
  if (dropout !== undefined) config = config.withDropout(dropout);
  return config;
}

function configJson(source: string, flag: string): Record<string, unknown> {
  let text: string;
  if (source.trimStart().startsWith('{')) text = source;
  else if (existsSync(source)) text = readFileSync(statSync(source).isDirectory() ? join(source, 'config.json') : source, 'utf8');
  else throw new CliError(`${flag} ${source}: not a preset (${registeredPresets().join(', ')}), a config.json file, a model directory or inline JSON.`);
  try {
    const json = JSON.parse(text) as unknown;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('expected a JSON object');
    return json as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`${flag} ${source}: not a JSON object (${(e as Error).message}).`);
  }
}

/** A fresh model with the objective's head, its weights and dropout drawn from `seed`. */
export function createPretrainModel(objective: Objective, config: PretrainedConfig, seed: number): TaskModel {
  try {
    return createModel(OBJECTIVE_TASK[objective], config, { rng: new Generator(seed) });
  } catch (e) {
    throw new CliError(`--objective ${objective}: ${(e as Error).message}`);
  }
}

/** The learned position table (BERT `…embeddings.position_embeddings.weight`, GPT-2 `transformer.wpe.weight`), if any. */
export function positionTable(model: TaskModel): tf.Variable | undefined {
  return model.namedParameters().find(([name]) => name.endsWith('embeddings.position_embeddings.weight') || name.endsWith('wpe.weight'))?.[1];
}

/**
 * Vaswani et al.'s sin/cos table, scaled to the initializer's std, as the starting point of the
 * learned position embeddings (still plain learned weights). Measured (docs/experiments.md): no
 * earlier exit from the MLM plateau than the random start.
 */
export function sinusoidalPositions(model: TaskModel, initializerRange: number): void {
  const w = requirePositionTable(model, '--sinusoidal-positions');
  const [n, d] = w.shape as [number, number];
  const table = new Float32Array(n * d);
  const scale = initializerRange * Math.SQRT2; // sin/cos have std 1/√2
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < d; i += 2) {
      const f = p / 10000 ** (i / d);
      table[p * d + i] = scale * Math.sin(f);
      if (i + 1 < d) table[p * d + i + 1] = scale * Math.cos(f);
    }
  }
  tf.tidy(() => w.assign(tf.tensor2d(table, [n, d])));
}

/**
 * After an `--init-from` phase trained on `n`-token segments, the positions it never saw start as copies of
 * the ones it trained (Longformer's initialisation of a longer table). MLM segments are [CLS] … [SEP]:
 * position 0 stays and the content positions 1..n-2 repeat; CLM blocks repeat positions 0..n-1.
 * Returns the first and last positions rewritten.
 */
export function tilePositions(model: TaskModel, n: number, objective: Objective): [number, number] {
  const w = requirePositionTable(model, '--tile-positions');
  const rows = w.arraySync() as number[][];
  const [from, period, start] = objective === 'mlm' ? [1, n - 2, n - 1] : [0, n, n];
  if (period < 1 || start >= rows.length) throw new CliError(`--tile-positions ${n}: must be at least ${objective === 'mlm' ? 3 : 1} and below the ${rows.length} positions.`);
  for (let p = start; p < rows.length; p++) rows[p] = rows[from + ((p - from) % period)]!;
  tf.tidy(() => w.assign(tf.tensor2d(rows)));
  return [start, rows.length - 1];
}

function requirePositionTable(model: TaskModel, flag: string): tf.Variable {
  const w = positionTable(model);
  if (!w) throw new CliError(`${flag}: ${model.config.modelType} has no learned position table (Llama uses rotary positions).`);
  return w;
}
