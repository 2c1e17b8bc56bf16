// File access for HF model directories. node:fs is imported on first use, so bundling @attn/models for the
// browser works; there, build models from configs and tensors (loadPretrainedWeights) instead of paths.
import { writeFileDurable } from '@attn/tensor';

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

/** @attn/tensor's durable writer (temp file flushed, renamed, directory flushed): a crash never leaves a torn file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileDurable(path, data);
}
