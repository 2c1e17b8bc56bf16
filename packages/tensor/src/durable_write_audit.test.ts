import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncDirectory, tempPathBeside, writeFileDurable } from './durable_write';
import { saveSafetensors } from './safetensors/file_io';
import { auditDurableWrites } from './durable_write_audit';
import { tf } from './tf';

const root = mkdtempSync(join(tmpdir(), 'attn-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `case-${n++}`);
  mkdirSync(d);
  return d;
};

describe('auditDurableWrites', () => {
  it('passes writeFileDurable and saveSafetensors (file, then directory flushed after the rename)', async () => {
    const dir = fresh();
    const t = tf.tensor1d([1, 2, 3]);
    const r = await auditDurableWrites(dir, async () => {
      await writeFileDurable(join(dir, 'config.json'), '{}');
      await saveSafetensors(join(dir, 'model.safetensors'), { w: t });
    });
    t.dispose();
    expect(r).toEqual({ files: ['config.json', 'model.safetensors'], notDurable: [] });
  });

  it('passes a staging directory renamed into place with both directories flushed', async () => {
    const dir = fresh();
    const r = await auditDurableWrites(dir, async () => {
      const fs = await import('node:fs/promises');
      const staging = tempPathBeside(join(dir, 'checkpoint-1'));
      await fs.mkdir(staging);
      await writeFileDurable(join(staging, 'a.json'), '1');
      await syncDirectory(staging);
      await fs.rename(staging, join(dir, 'checkpoint-1'));
      await syncDirectory(dir);
    });
    expect(r).toEqual({ files: ['checkpoint-1/a.json'], notDurable: [] });
  });

  it('names every file written another way, and why', async () => {
    const dir = fresh();
    const r = await auditDurableWrites(dir, async () => {
      const fs = await import('node:fs/promises');
      await fs.writeFile(join(dir, 'plain.json'), '{}'); // no fsync at all
      const h = await fs.open(join(dir, 'in_place.json'), 'w'); // flushed, but not renamed over the target
      await h.writeFile('{}');
      await h.sync();
      await h.close();
      const tmp = join(dir, '.no_dir_sync.tmp');
      const h2 = await fs.open(tmp, 'w'); // flushed and renamed, the directory never flushed
      await h2.writeFile('{}');
      await h2.sync();
      await h2.close();
      await fs.rename(tmp, join(dir, 'no_dir_sync.json'));
      const staging = join(dir, '.stage');
      await fs.mkdir(staging);
      await writeFileDurable(join(staging, 'x.json'), '1');
      await syncDirectory(staging);
      await fs.rename(staging, join(dir, 'ckpt')); // a directory renamed, its parent never flushed
    });
    expect(r.files).toEqual(['ckpt/x.json', 'in_place.json', 'no_dir_sync.json', 'plain.json']);
    expect(r.notDurable).toEqual([
      'in_place.json: written in place, not renamed from a flushed temporary file',
      'no_dir_sync.json: its directory was not flushed after the rename',
      'plain.json: content never flushed (fsync) before it was put in place',
      'ckpt/: renamed into place, its parent not flushed after',
    ]);
  });
});
