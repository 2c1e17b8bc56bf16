import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { syncDirectory, tempPathBeside, writeFileDurable } from '@attn/tensor';

const tempName = tempPathBeside;

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

/** A fresh hidden directory beside `finalDir` to build its contents in. */
export async function makeStagingDir(finalDir: string): Promise<string> {
  const staging = tempName(finalDir);
  await fs.mkdir(staging, { recursive: true });
  return staging;
}

/**
 * Makes a fully written staging directory visible as `finalDir` in one rename. An existing
 * `finalDir` is moved aside first and deleted only after the new one is in place, so a crash
 * at any point leaves one complete directory.
 */
export async function commitDirectory(staging: string, finalDir: string): Promise<void> {
  let aside: string | undefined;
  try {
    await fs.access(finalDir);
    // Named ".old-" so that a restart can put it back if the crash came before the next rename.
    aside = tempName(finalDir, 'old');
    await fs.rename(finalDir, aside);
  } catch {
    aside = undefined;
  }
  await syncDirectory(staging);
  await fs.rename(staging, finalDir);
  // The rename is durable only once the parent's entry list is on disk.
  await syncDirectory(dirname(finalDir));
  if (aside) await fs.rm(aside, { recursive: true, force: true });
}
