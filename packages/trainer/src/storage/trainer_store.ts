import { FileSystemStore } from './file_system_store';
import { MemoryStore } from './memory_store';

/**
 * Where the Trainer keeps checkpoints and saved models: a small file interface with '/'-separated
 * paths, so the same Trainer runs in Node (FileSystemStore: atomic, flushed writes) and in a browser
 * tab (MemoryStore, or OpfsStore where the origin private file system exists).
 */
export interface TrainerStore {
  /** Paths are real filesystem paths: savePretrained and sharded checkpoints can use them directly. */
  readonly isFileSystem: boolean;
  /** Writes a whole file, creating its directory; readers see the old or the new content, never a torn one. */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** A file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Names directly under dir; [] when dir does not exist. */
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /** Deletes a file or a directory tree; nothing happens when it is absent. */
  remove(path: string): Promise<void>;
  /** Moves a file or a directory tree to a path that does not exist (a directory commit: durable on the filesystem). */
  rename(from: string, to: string): Promise<void>;
  /** Creates a directory and its parents. */
  makeDir(dir: string): Promise<void>;
}

/** Node: the filesystem; elsewhere (a browser tab, a worker): memory. */
export function defaultStore(): TrainerStore {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  return isNode ? new FileSystemStore() : new MemoryStore();
}
