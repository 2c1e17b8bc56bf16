import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileDurable, writeFileDurableSync } from './durable_write';

const dir = mkdtempSync(join(tmpdir(), 'attn-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileDurable', () => {
  it('replaces the content and leaves no temporary file', async () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    await writeFileDurable(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    await writeFileDurable(f, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(f)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('a failed rename leaves what was there and no temporary file', async () => {
    const target = join(dir, 'busy');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(target, 'inside'), { recursive: true }));
    await expect(writeFileDurable(target, 'x')).rejects.toThrow();
    expect(readdirSync(target)).toEqual(['inside']);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('writeFileDurableSync: the same, synchronously', () => {
    const f = join(dir, 'sync.json');
    writeFileSync(f, 'old');
    writeFileDurableSync(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    writeFileDurableSync(f, new Uint8Array([4, 5]));
    expect([...readFileSync(f)]).toEqual([4, 5]);
    const target = join(dir, 'busy');
    expect(() => writeFileDurableSync(target, 'x')).toThrow(); // a directory: the rename fails
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
