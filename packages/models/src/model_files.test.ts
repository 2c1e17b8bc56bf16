import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinPath, writeFileAtomic } from './model_files';

describe('model files', () => {
  it('joins with one separator', () => {
    expect(joinPath('a/b/', 'config.json')).toBe('a/b/config.json');
    expect(joinPath('a/b', 'config.json')).toBe('a/b/config.json');
  });

  it('writes atomically and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attn-files-'));
    await writeFileAtomic(join(dir, 'config.json'), '{"a":1}');
    await writeFileAtomic(join(dir, 'config.json'), '{"a":2}');
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe('{"a":2}');
    expect(await readdir(dir)).toEqual(['config.json']);
    await rm(dir, { recursive: true, force: true });
  });
});
