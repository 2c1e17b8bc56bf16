import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertModelDir } from './model_dir';
import { CliError } from './cli_error';

const dir = mkdtempSync(join(tmpdir(), 'attn-cli-modeldir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assertModelDir', () => {
  it('names the missing config.json, then the missing weights', () => {
    expect(() => assertModelDir(dir)).toThrow(new CliError(`--model ${dir}: no config.json; pass an HF-format model directory.`));
    writeFileSync(join(dir, 'config.json'), '{}');
    expect(() => assertModelDir(dir)).toThrow(/no model\.safetensors \(or model\.safetensors\.index\.json\); the directory has no weights\.$/);
    expect(() => assertModelDir(dir, { flag: '--teacher', noWeights: 'no weights here.' })).toThrow(new CliError(`--teacher ${dir}: no weights here.`));
  });

  it('accepts sharded weights', () => {
    writeFileSync(join(dir, 'model.safetensors.index.json'), '{}');
    expect(() => assertModelDir(dir)).not.toThrow();
  });
});
