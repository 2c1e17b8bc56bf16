import type { TrainerStore } from './trainer_store';
import { normalizePath, toBytes } from './store_paths';

// The parts of the File System Access API this store uses (TypeScript's DOM library lacks keys() and move()).
interface DirectoryHandle {
  getDirectoryHandle(name: string, opts?: { create?: boolean }): Promise<DirectoryHandle>;
  getFileHandle(name: string, opts?: { create?: boolean }): Promise<FileHandle>;
  removeEntry(name: string, opts?: { recursive?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
}
interface FileHandle {
  getFile(): Promise<Blob>;
  createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void> }>;
}

/**
 * A browser tab's origin private file system (navigator.storage.getDirectory()): checkpoints outlive a
 * reload. A file is written through a writable stream, which the browser swaps in whole on close, so
 * readers never see a torn file. `OpfsStore.open()` is undefined where the API is missing.
 */
export class OpfsStore implements TrainerStore {
  readonly isFileSystem = false;

  constructor(private readonly root: DirectoryHandle) {}

  static async open(): Promise<OpfsStore | undefined> {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (typeof storage?.getDirectory !== 'function') return undefined;
    const root: unknown = await storage.getDirectory();
    return new OpfsStore(root as DirectoryHandle);
  }

  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    const { dir, name } = await this.parent(path, true);
    const writable = await (await dir!.getFileHandle(name, { create: true })).createWritable();
    await writable.write(toBytes(data));
    await writable.close();
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const file = await this.file(path);
    return file ? new Uint8Array(await (await file.getFile()).arrayBuffer()) : undefined;
  }

  async list(dir: string): Promise<string[]> {
    const handle = await this.directory(segments(dir), false);
    if (!handle) return [];
    const names: string[] = [];
    for await (const name of handle.keys()) names.push(name);
    return names;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.file(path)) !== undefined || (await this.directory(segments(path), false)) !== undefined;
  }

  async remove(path: string): Promise<void> {
    const { dir, name } = await this.parent(path, false);
    await dir?.removeEntry(name, { recursive: true }).catch(() => undefined);
  }

  /** A copy, then the source removed: the API has no portable directory move. */
  async rename(from: string, to: string): Promise<void> {
    const bytes = await this.readFile(from);
    if (bytes) await this.writeFile(to, bytes);
    else {
      await this.makeDir(to);
      for (const name of await this.list(from)) await this.rename(`${normalizePath(from)}/${name}`, `${normalizePath(to)}/${name}`);
    }
    await this.remove(from);
  }

  async makeDir(dir: string): Promise<void> {
    await this.directory(segments(dir), true);
  }

  private async file(path: string): Promise<FileHandle | undefined> {
    const { dir, name } = await this.parent(path, false);
    return dir?.getFileHandle(name).catch(() => undefined);
  }

  private async parent(path: string, create: boolean): Promise<{ dir?: DirectoryHandle; name: string }> {
    const parts = segments(path);
    const name = parts.pop() ?? '';
    return { dir: await this.directory(parts, create), name };
  }

  private async directory(parts: string[], create: boolean): Promise<DirectoryHandle | undefined> {
    let dir = this.root;
    for (const part of parts) {
      const next = await dir.getDirectoryHandle(part, { create }).catch(() => undefined);
      if (!next) return undefined;
      dir = next;
    }
    return dir;
  }
}

/** A path's segments below the store's root ('/' and '.' dropped). */
function segments(path: string): string[] {
  return normalizePath(path).split('/').filter((s) => s !== '' && s !== '.');
}
