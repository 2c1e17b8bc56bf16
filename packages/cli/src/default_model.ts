import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `--model` an app starts from when none is given: its bundled pretrained checkpoint when the
 * directory is there (a repository checkout), else `fallback` (random weights), so an app copied
 * without the checkpoint still runs.
 */
export function defaultModel(bundledDir: string, fallback = 'bert-tiny'): string {
  return existsSync(join(bundledDir, 'config.json')) && existsSync(join(bundledDir, 'model.safetensors')) ? bundledDir : fallback;
}
