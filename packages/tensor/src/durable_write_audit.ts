// A test helper: watches node:fs while some code saves files and says which of the files it left behind were not
// written durably, i.e. not as writeFileDurable does it: content flushed (fsync) under a temporary name, renamed
// into place, then the directory flushed after the rename. A directory renamed into place needs its parent flushed
// after that rename too. Anything written another way (fs.writeFile, writeFileSync, a stream) is reported.
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
 * Runs `save` with node:fs/promises instrumented and audits every file under `root` afterwards. Only one audit may
 * run at a time in a process (it patches the shared fs.promises object).
 */
export async function auditDurableWrites(root: string, save: () => Promise<unknown>): Promise<DurabilityReport> {
  const fs = await import('node:fs');
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

  fsp.open = (async (...args: Parameters<typeof fsp.open>) => {
    const handle = await original.open(...args);
    const opened = resolve(String(args[0]));
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      const isDir = (await handle.stat()).isDirectory();
      (isDir ? dirFlushes : flushedFiles).set(opened, ++clock);
    };
    return handle;
  }) as typeof fsp.open;
  fsp.rename = (async (from: Parameters<typeof fsp.rename>[0], to: Parameters<typeof fsp.rename>[1]) => {
    const src = resolve(String(from));
    const dst = resolve(String(to));
    const isDir = (await fsp.stat(src)).isDirectory();
    await original.rename(from, to);
    if (isDir) {
      for (const m of [flushedFiles, placed, dirFlushes]) moveKeys(m, src, dst);
      directories.add(dst);
      placed.set(dst, ++clock);
    } else if (flushedFiles.has(src)) {
      flushedFiles.set(dst, flushedFiles.get(src)!);
      flushedFiles.delete(src);
      placed.set(dst, ++clock);
    }
  }) as typeof fsp.rename;
  syncBuiltinESMExports(); // so that `import('node:fs/promises')` sees the instrumented functions too
  try {
    await save();
  } finally {
    fsp.open = original.open;
    fsp.rename = original.rename;
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
