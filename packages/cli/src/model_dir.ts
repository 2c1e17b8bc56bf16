import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli_error';

export interface ModelDirMessages {
  /** Flag named in the message (default `--model`). */
  flag?: string;
  /** What follows `<flag> <dir>: ` when config.json is missing. */
  noConfig?: string;
  /** What follows `<flag> <dir>: ` when there are no weights. */
  noWeights?: string;
}

/** Checks an HF model directory has what loading needs (config.json and weights), naming what is missing. */
export function assertModelDir(dir: string, messages: ModelDirMessages = {}): void {
  const flag = messages.flag ?? '--model';
  if (!existsSync(join(dir, 'config.json'))) {
    throw new CliError(`${flag} ${dir}: ${messages.noConfig ?? 'no config.json; pass an HF-format model directory.'}`);
  }
  if (!existsSync(join(dir, 'model.safetensors')) && !existsSync(join(dir, 'model.safetensors.index.json'))) {
    throw new CliError(`${flag} ${dir}: ${messages.noWeights ?? 'no model.safetensors (or model.safetensors.index.json); the directory has no weights.'}`);
  }
}
