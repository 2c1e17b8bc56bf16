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

/** Joins path parts with '/' (no node:path, so it works in the browser; Node accepts '/' on every platform). */
export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

/** Collapses repeated separators and '.' segments and drops a trailing '/'. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const segments = path.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  const joined = segments.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** The directory part of a path. */
export function parentPath(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

/** A string as UTF-8 bytes, bytes as they are. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
