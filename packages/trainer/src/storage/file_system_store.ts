import { syncDirectory, writeFileDurable } from '@attn/tensor';
import type { TrainerStore } from './trainer_store';
import { parentPath } from './store_paths';

// node:fs is imported on first use, so a browser bundle of the Trainer does not pull it in.
type FsPromises = typeof import('node:fs/promises');
let fsp: Promise<FsPromises> | undefined;
const nodeFs = (): Promise<FsPromises> => (fsp ??= import('node:fs/promises'));

/**
 * The Node default: files on disk, each written with @attn/tensor's writeFileDurable (temporary file,
 * flushed, renamed, directory flushed), and directory renames flushed on both sides.
 */
export class FileSystemStore implements TrainerStore {
  readonly isFileSystem = true;

  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    const fs = await nodeFs();
    await fs.mkdir(parentPath(path), { recursive: true });
    await writeFileDurable(path, data);
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const fs = await nodeFs();
    try {
      const buf = await fs.readFile(path);
      // A plain Uint8Array view: Buffer.slice shares memory, and the safetensors decoder relies on slice copying.
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async list(dir: string): Promise<string[]> {
    const fs = await nodeFs();
    try {
      return await fs.readdir(dir);
    } catch {
      return [];
    }
  }

  async exists(path: string): Promise<boolean> {
    const fs = await nodeFs();
    return fs.access(path).then(
      () => true,
      () => false,
    );
  }

  async remove(path: string): Promise<void> {
    const fs = await nodeFs();
    await fs.rm(path, { recursive: true, force: true });
  }

  async rename(from: string, to: string): Promise<void> {
    const fs = await nodeFs();
    // What was written into a directory must be on disk before it appears under its final name, and the
    // rename is durable only once the parent's entry list is.
    if ((await fs.stat(from)).isDirectory()) await syncDirectory(from);
    await fs.rename(from, to);
    await syncDirectory(parentPath(to));
  }

  async makeDir(dir: string): Promise<void> {
    const fs = await nodeFs();
    await fs.mkdir(dir, { recursive: true });
  }
}
