// A test helper: watches node:fs while some code saves files and says which of the files it left behind were not
// written durably, i.e. not as writeFileDurable (or writeFileDurableSync) does it: content flushed (fsync) under a
// temporary name, renamed into place, then the directory flushed after the rename. A directory renamed into place
// needs its parent flushed after that rename too. Both APIs are watched: fs.promises (open → handle.sync, rename)
// and the synchronous one (openSync → fsyncSync, renameSync). Anything written another way (fs.writeFile,
// writeFileSync, appendFileSync, a stream) is reported.
// node: modules are imported on first use, so @attn/tensor/testing stays importable in a browser bundle.
type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

export interface DurabilityReport {
  /** Every file under the root after the code ran, relative to the root, sorted. */
  files: string[];
  /** Files (relative) whose content or directory entry was not flushed, with the reason. */
  notDurable: string[];
}

function walk(fs: NodeFs, path: NodePath, dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(fs, path, p, out);
    else out.push(p);
  }
  return out;
}

/** Moves every key equal to `from` or below it to the same place below `to`. */
function moveKeys(map: Map<string, number>, from: string, to: string): void {
  for (const [k, v] of [...map]) {
    if (k === from || k.startsWith(from + '/')) {
      map.delete(k);
      map.set(to + k.slice(from.length), v);
    }
  }
}

/**
 * Runs `save` with node:fs and node:fs/promises instrumented and audits every file under `root` afterwards (files
 * that were there before count too). Only one audit may run at a time in a process (it patches the shared node:fs
 * module object); writes by child processes are not seen, so they are reported as not flushed.
 */
export async function auditDurableWrites(root: string, save: () => Promise<unknown>): Promise<DurabilityReport> {
  const fs = (await import('node:fs')).default; // the module object itself: a namespace's members cannot be replaced
  const path = await import('node:path');
  const { syncBuiltinESMExports } = await import('node:module');
  const { dirname, relative, resolve } = path;
  const fsp = fs.promises;
  let clock = 0;
  const flushedFiles = new Map<string, number>(); // a file's content fsynced, at this time
  const placed = new Map<string, number>(); // a flushed file or a directory renamed to this path, at this time
  const dirFlushes = new Map<string, number>(); // a directory fsynced, last at this time
  const directories = new Set<string>(); // paths renamed that were directories
  const original = { open: fsp.open, rename: fsp.rename };
  const originalSync = { openSync: fs.openSync, fsyncSync: fs.fsyncSync, closeSync: fs.closeSync, renameSync: fs.renameSync };
  const openFds = new Map<number, string>(); // a descriptor from openSync → the path it was opened with

  const flushed = (file: string, isDir: boolean) => (isDir ? dirFlushes : flushedFiles).set(file, ++clock);
  const renamed = (src: string, dst: string, isDir: boolean) => {
    if (isDir) {
      for (const m of [flushedFiles, placed, dirFlushes]) moveKeys(m, src, dst);
      directories.add(dst);
      placed.set(dst, ++clock);
    } else if (flushedFiles.has(src)) {
      flushedFiles.set(dst, flushedFiles.get(src)!);
      flushedFiles.delete(src);
      placed.set(dst, ++clock);
    }
  };

  fsp.open = (async (...args: Parameters<typeof fsp.open>) => {
    const handle = await original.open(...args);
    const opened = resolve(String(args[0]));
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      flushed(opened, (await handle.stat()).isDirectory());
    };
    return handle;
  }) as typeof fsp.open;
  fsp.rename = (async (from: Parameters<typeof fsp.rename>[0], to: Parameters<typeof fsp.rename>[1]) => {
    const isDir = (await fsp.stat(from)).isDirectory();
    await original.rename(from, to);
    renamed(resolve(String(from)), resolve(String(to)), isDir);
  }) as typeof fsp.rename;
  fs.openSync = ((...args: Parameters<typeof fs.openSync>) => {
    const fd = originalSync.openSync(...args);
    openFds.set(fd, resolve(String(args[0])));
    return fd;
  }) as typeof fs.openSync;
  fs.fsyncSync = (fd: number) => {
    originalSync.fsyncSync(fd);
    const opened = openFds.get(fd);
    if (opened !== undefined) flushed(opened, fs.fstatSync(fd).isDirectory());
  };
  fs.closeSync = (fd: number) => {
    openFds.delete(fd);
    originalSync.closeSync(fd);
  };
  fs.renameSync = (from: Parameters<typeof fs.renameSync>[0], to: Parameters<typeof fs.renameSync>[1]) => {
    const isDir = fs.statSync(from).isDirectory();
    originalSync.renameSync(from, to);
    renamed(resolve(String(from)), resolve(String(to)), isDir);
  };
  syncBuiltinESMExports(); // so that `import('node:fs/promises')` and `import { renameSync } from 'node:fs'` see them too
  try {
    await save();
  } finally {
    fsp.open = original.open;
    fsp.rename = original.rename;
    Object.assign(fs, originalSync);
    syncBuiltinESMExports();
  }

  const rootAbs = resolve(root);
  const files = walk(fs, path, rootAbs).sort();
  const notDurable: string[] = [];
  const flushedAfter = (dir: string, t: number) => (dirFlushes.get(dir) ?? -1) > t;
  for (const f of files) {
    const rel = relative(rootAbs, f);
    if (!flushedFiles.has(f)) notDurable.push(`${rel}: content never flushed (fsync) before it was put in place`);
    else if (!placed.has(f)) notDurable.push(`${rel}: written in place, not renamed from a flushed temporary file`);
    else if (!flushedAfter(dirname(f), placed.get(f)!)) notDurable.push(`${rel}: its directory was not flushed after the rename`);
  }
  for (const d of directories) {
    if (!d.startsWith(rootAbs)) continue;
    if (!flushedAfter(dirname(d), placed.get(d)!)) notDurable.push(`${relative(rootAbs, d)}/: renamed into place, its parent not flushed after`);
  }
  return { files: files.map((f) => relative(rootAbs, f)), notDurable };
}
