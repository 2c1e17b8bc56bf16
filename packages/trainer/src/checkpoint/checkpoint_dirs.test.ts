import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestCheckpoint, listCheckpoints, removeStaleStaging, rotateCheckpoints } from './checkpoint_dirs';
import { commitDirectory, makeStagingDir, writeFileAtomic } from './atomic_write';

function outDirWith(steps: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'attn-ckpt-'));
  for (const s of steps) mkdirSync(join(dir, `checkpoint-${s}`));
  return dir;
}

describe('checkpoint directories', () => {
  it('lists by step number, not by name', async () => {
    const dir = outDirWith([100, 20, 3]);
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([3, 20, 100]);
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'checkpoint-100'));
  });

  it('rotation keeps the newest `limit` and never the best', async () => {
    const dir = outDirWith([1, 2, 3, 4, 5]);
    await rotateCheckpoints(dir, 2, join(dir, 'checkpoint-2'));
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-2', 'checkpoint-5']);
    const dir2 = outDirWith([1, 2, 3]);
    await rotateCheckpoints(dir2, 1, join(dir2, 'checkpoint-1'));
    expect(readdirSync(dir2).sort()).toEqual(['checkpoint-1', 'checkpoint-3']);
    const dir3 = outDirWith([1, 2, 3]);
    await rotateCheckpoints(dir3, 1, join(dir3, 'checkpoint-3'));
    expect(readdirSync(dir3)).toEqual(['checkpoint-3']);
    const dir4 = outDirWith([1, 2, 3]);
    await rotateCheckpoints(dir4, 2);
    expect(readdirSync(dir4).sort()).toEqual(['checkpoint-2', 'checkpoint-3']);
  });

  it('commitDirectory replaces a checkpoint in one step; staging leftovers are cleaned', async () => {
    const dir = outDirWith([7]);
    writeFileSync(join(dir, 'checkpoint-7', 'a.txt'), 'old');
    const staging = await makeStagingDir(join(dir, 'checkpoint-7'));
    await writeFileAtomic(join(staging, 'a.txt'), 'new');
    // A crash now would leave checkpoint-7 (old, complete) plus a hidden staging dir.
    expect(readFileSync(join(dir, 'checkpoint-7', 'a.txt'), 'utf8')).toBe('old');
    expect((await listCheckpoints(dir)).length).toBe(1);
    await commitDirectory(staging, join(dir, 'checkpoint-7'));
    expect(readFileSync(join(dir, 'checkpoint-7', 'a.txt'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['checkpoint-7']);
    await makeStagingDir(join(dir, 'checkpoint-8'));
    await removeStaleStaging(dir);
    expect(readdirSync(dir)).toEqual(['checkpoint-7']);
  });

  it('a crash between moving the old checkpoint aside and renaming the new one is repaired', async () => {
    const dir = outDirWith([]);
    mkdirSync(join(dir, '.checkpoint-5.old-1-abc'));
    writeFileSync(join(dir, '.checkpoint-5.old-1-abc', 'a.txt'), 'old');
    mkdirSync(join(dir, '.checkpoint-5.tmp-1-def'));
    await removeStaleStaging(dir);
    expect(readdirSync(dir)).toEqual(['checkpoint-5']);
    expect(readFileSync(join(dir, 'checkpoint-5', 'a.txt'), 'utf8')).toBe('old');
  });
});
