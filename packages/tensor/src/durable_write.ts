// The one way attn writes a file that must survive a crash (weights, configs, checkpoints, journals).
// node:fs is imported on first use so that bundles for the browser do not pull it in.
type FsPromises = typeof import('node:fs/promises');

let fsp: Promise<FsPromises> | undefined;
const nodeFs = (): Promise<FsPromises> => (fsp ??= import('node:fs/promises'));

function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function basenameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** A hidden temporary name beside `path` (same directory, so the rename is atomic). */
export function tempPathBeside(path: string, kind = 'tmp'): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${dirnameOf(path)}/.${basenameOf(path)}.${kind}-${process.pid}-${Date.now().toString(36)}-${rand}`;
}

/**
 * Flushes a directory's entry list, so that a rename into it survives a power loss. Platforms that cannot open a
 * directory for syncing (Windows) skip it: there the rename itself is the best guarantee.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const fs = await nodeFs();
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR / EPERM on platforms without directory fsync
  } finally {
    await handle?.close();
  }
}

/**
 * Writes a file durably and atomically: a temporary file beside it, flushed to disk, renamed over the target,
 * then the directory flushed. Readers see the old content or the new, never a torn file, and after the call
 * returns the new content survives a crash or power loss.
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fs = await nodeFs();
  const tmp = tempPathBeside(path);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dirnameOf(path));
}

type NodeFs = typeof import('node:fs');
let fsSync: NodeFs | undefined;

/** node:fs without a static import (browser bundles) and without awaiting (the synchronous writer). */
function nodeFsSync(): NodeFs {
  if (fsSync) return fsSync;
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const fs = proc?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error('writeFileDurableSync: node:fs cannot be loaded synchronously here (it needs Node.js >= 20.16, for process.getBuiltinModule); use writeFileDurable');
  return (fsSync = fs);
}

/** syncDirectory for synchronous callers. */
export function syncDirectorySync(dir: string): void {
  const fs = nodeFsSync();
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // EISDIR / EPERM on platforms without directory fsync
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * writeFileDurable for code that must not yield before the file is in place (a training callback whose next step
 * would move the state being saved, a process about to exit): the same temporary file, flush, rename and directory
 * flush, done synchronously.
 */
export function writeFileDurableSync(path: string, data: string | Uint8Array): void {
  const fs = nodeFsSync();
  const tmp = tempPathBeside(path);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectorySync(dirnameOf(path));
}
