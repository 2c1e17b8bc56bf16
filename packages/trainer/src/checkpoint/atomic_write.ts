import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function tempName(path: string, kind = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
}

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * write a temporary file beside it, flush it to disk, then rename over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
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
  await fs.rename(staging, finalDir);
  if (aside) await fs.rm(aside, { recursive: true, force: true });
}
