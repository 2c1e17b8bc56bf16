import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModel } from './default_model';

describe('defaultModel', () => {
  it('is the bundled directory when it holds config.json and model.safetensors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-default-model-'));
    writeFileSync(join(dir, 'config.json'), '{}');
    expect(defaultModel(dir)).toBe('bert-tiny');
    writeFileSync(join(dir, 'model.safetensors'), '');
    expect(defaultModel(dir)).toBe(dir);
  });
  it('falls back to the preset when the directory is missing', () => {
    const missing = join(tmpdir(), 'attn-no-such-model-dir');
    mkdirSync(tmpdir(), { recursive: true });
    expect(defaultModel(missing)).toBe('bert-tiny');
    expect(defaultModel(missing, 'bert-mini')).toBe('bert-mini');
  });
});
