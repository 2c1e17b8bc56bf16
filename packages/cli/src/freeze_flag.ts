import type { FreezeStrategy } from '@attn/trainer';
import { CliError } from './cli_error';

/**
 * `--freeze none | embeddings | all-but-head | bottom:<layers>` as the Trainer's FreezeStrategy.
 * `bottom-<layers>` is accepted too (the spelling classify used to document), so every app takes both.
 */
export function parseFreezeFlag(value: string): FreezeStrategy {
  if (['none', 'embeddings', 'all-but-head'].includes(value)) return value as FreezeStrategy;
  const m = /^bottom[:-](\d+)$/.exec(value);
  if (m) return { bottomLayers: Number(m[1]) };
  throw new CliError(`--freeze must be none, embeddings, all-but-head or bottom:<layers>; got ${JSON.stringify(value)}.`);
}
