import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncDirectory, syncDirectorySync, tempPathBeside, writeFileDurable, writeFileDurableSync } from './durable_write';
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

  it('passes writeFileDurableSync and a directory renamed with renameSync, both flushed', async () => {
    const dir = fresh();
    const r = await auditDurableWrites(dir, async () => {
      const fs = await import('node:fs');
      const staging = tempPathBeside(join(dir, 'run'));
      fs.mkdirSync(staging);
      writeFileDurableSync(join(staging, 'b.bin'), new Uint8Array([1]));
      syncDirectorySync(staging);
      fs.renameSync(staging, join(dir, 'run'));
      syncDirectorySync(dir);
      writeFileDurableSync(join(dir, 'state.json'), '[1,2]'); // last: no later flush of the directory hides a missing one
      writeFileDurableSync(join(dir, 'state.json'), '[3,4]'); // over an existing file
    });
    expect(r).toEqual({ files: ['run/b.bin', 'state.json'], notDurable: [] });
  });

  it('names every file written synchronously another way, and why', async () => {
    const dir = fresh();
    const r = await auditDurableWrites(dir, async () => {
      const fs = await import('node:fs');
      fs.writeFileSync(join(dir, '.a.tmp'), '{}'); // tmp + rename, never flushed
      fs.renameSync(join(dir, '.a.tmp'), join(dir, 'renamed_unflushed.json'));
      fs.appendFileSync(join(dir, 'appended.jsonl'), '{}\n');
      const fd = fs.openSync(join(dir, '.b.tmp'), 'w'); // flushed and renamed, the directory never flushed
      fs.writeFileSync(fd, '{}');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(join(dir, '.b.tmp'), join(dir, 'no_dir_sync.json'));
    });
    expect(r.notDurable).toEqual([
      'appended.jsonl: content never flushed (fsync) before it was put in place',
      'no_dir_sync.json: its directory was not flushed after the rename',
      'renamed_unflushed.json: content never flushed (fsync) before it was put in place',
    ]);
  });

  it('leaves node:fs as it found it', async () => {
    const fs = (await import('node:fs')).default;
    const before = [fs.openSync, fs.fsyncSync, fs.closeSync, fs.renameSync, fs.promises.open, fs.promises.rename];
    await auditDurableWrites(fresh(), async () => {
      throw new Error('save failed');
    }).catch(() => undefined);
    expect([fs.openSync, fs.fsyncSync, fs.closeSync, fs.renameSync, fs.promises.open, fs.promises.rename]).toEqual(before);
  });
});
