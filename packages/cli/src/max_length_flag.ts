import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetConfig } from '@attn/models';
import { CliError } from './cli_error';
import { isPreset } from './model_source';
import { numberFlag } from './number_flag';

/**
 * The model's max_position_embeddings: a preset's, or config.json's in a directory; undefined when
 * the directory has none (its loader reports a missing or broken config.json, naming the file).
 */
export function maxPositions(model: string): number | undefined {
  if (isPreset(model)) return presetConfig(model).maxPositionEmbeddings;
  try {
    const n = (JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as { max_position_embeddings?: unknown }).max_position_embeddings;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `--max-length` checked at start-up, before any data or weights load: an integer >= `min`, and no
 * more than the model's position embeddings (a longer input would fail mid-run, or as an HTTP 500
 * in serve). Pass `model` to check the upper bound.
 */
export function maxLengthFlag(value: string | number | undefined, opts: { model?: string; min?: number; flag?: string } = {}): number {
  const flag = opts.flag ?? 'max-length';
  const n = numberFlag(flag, value === undefined ? undefined : String(value), { int: true, min: opts.min ?? 8 });
  const limit = opts.model === undefined ? undefined : maxPositions(opts.model);
  if (limit !== undefined && n > limit) {
    throw new CliError(`--${flag} ${value} is more than ${opts.model} can take (max_position_embeddings ${limit}); pass --${flag} ${limit} or less.`);
  }
  return n;
}
