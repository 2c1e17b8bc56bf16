// File access for HF model directories. node:fs is imported on first use, so bundling @attn/models for the
// browser works; there, build models from configs and tensors (loadPretrainedWeights) instead of paths.
type FsPromises = typeof import('node:fs/promises');

let fs: Promise<FsPromises> | undefined;

export function nodeFs(): Promise<FsPromises> {
  fs ??= import('node:fs/promises');
  return fs;
}

/** `dir/name` with one separator (HF directory layouts use plain relative names). */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}

/** Writes to a temporary name in the same directory, then renames: a crash never leaves a half-written file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const { writeFile, rename } = await nodeFs();
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
