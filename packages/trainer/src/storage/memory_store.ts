import type { TrainerStore } from './trainer_store';
import { normalizePath, parentPath, toBytes } from './store_paths';

/**
 * Files in memory, for a browser tab (or a test): checkpoints and saved models live as long as the
 * store; `files()` and downloadFile hand them to the user.
 */
export class MemoryStore implements TrainerStore {
  readonly isFileSystem = false;
  private readonly data = new Map<string, Uint8Array>();
  private readonly dirs = new Set<string>();

  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    const p = normalizePath(path);
    this.addDirs(parentPath(p));
    // A copy: the caller may reuse its buffer.
    this.data.set(p, toBytes(data).slice());
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    return this.data.get(normalizePath(path));
  }

  async list(dir: string): Promise<string[]> {
    const prefix = `${normalizePath(dir)}/`;
    const names = new Set<string>();
    for (const p of [...this.data.keys(), ...this.dirs]) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    return [...names];
  }

  async exists(path: string): Promise<boolean> {
    const p = normalizePath(path);
    return this.data.has(p) || this.dirs.has(p);
  }

  async remove(path: string): Promise<void> {
    const p = normalizePath(path);
    for (const key of [...this.data.keys()]) if (key === p || key.startsWith(`${p}/`)) this.data.delete(key);
    for (const key of [...this.dirs]) if (key === p || key.startsWith(`${p}/`)) this.dirs.delete(key);
  }

  async rename(from: string, to: string): Promise<void> {
    const f = normalizePath(from);
    const t = normalizePath(to);
    const moved = (key: string) => (key === f ? t : key.startsWith(`${f}/`) ? t + key.slice(f.length) : undefined);
    for (const [key, bytes] of [...this.data]) {
      const dest = moved(key);
      if (dest !== undefined) {
        this.data.delete(key);
        this.data.set(dest, bytes);
      }
    }
    for (const key of [...this.dirs]) {
      const dest = moved(key);
      if (dest !== undefined) {
        this.dirs.delete(key);
        this.dirs.add(dest);
      }
    }
    this.addDirs(parentPath(t));
  }

  async makeDir(dir: string): Promise<void> {
    this.addDirs(normalizePath(dir));
  }

  /** Every file, path → bytes. */
  files(): Map<string, Uint8Array> {
    return new Map(this.data);
  }

  private addDirs(dir: string): void {
    for (let d = dir; d !== '.' && d !== '/' && !this.dirs.has(d); d = parentPath(d)) this.dirs.add(d);
  }
}
