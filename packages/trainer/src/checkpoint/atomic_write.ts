import { writeFileDurable } from '@attn/tensor';
import type { TrainerStore } from '../storage/trainer_store';
import { FileSystemStore } from '../storage/file_system_store';
import { parentPath } from '../storage/store_paths';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one, and the new content
 * survives a crash once this returns: @attn/tensor's writeFileDurable, the one writer every package uses.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileDurable(path, data);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** A JSON file through a store (pretty-printed, newline-terminated, as writeJsonAtomic writes it). */
export async function writeJson(store: TrainerStore, path: string, value: unknown): Promise<void> {
  await store.writeFile(path, JSON.stringify(value, null, 2) + '\n');
}

/** A hidden name beside `finalDir` (same directory, so the commit is one rename). */
export function stagingPath(finalDir: string, kind: 'tmp' | 'old' = 'tmp'): string {
  const name = finalDir.slice(finalDir.lastIndexOf('/') + 1);
  const rand = Math.random().toString(36).slice(2, 8);
  return `${parentPath(finalDir)}/.${name}.${kind}-${Date.now().toString(36)}-${rand}`;
}

/** A fresh hidden directory beside `finalDir` to build its contents in. */
export async function makeStagingDir(finalDir: string, store: TrainerStore = new FileSystemStore()): Promise<string> {
  const staging = stagingPath(finalDir);
  await store.makeDir(staging);
  return staging;
}

/**
 * Makes a fully written staging directory visible as `finalDir` in one rename. An existing
 * `finalDir` is moved aside first and deleted only after the new one is in place, so a crash
 * at any point leaves one complete directory.
 */
export async function commitDirectory(staging: string, finalDir: string, store: TrainerStore = new FileSystemStore()): Promise<void> {
  let aside: string | undefined;
  if (await store.exists(finalDir)) {
    // Named ".old-" so that a restart can put it back if the crash came before the next rename.
    aside = stagingPath(finalDir, 'old');
    await store.rename(finalDir, aside);
  }
  await store.rename(staging, finalDir);
  if (aside) await store.remove(aside);
}
