// Node-only file helpers. node:fs is imported dynamically so the package still bundles for browsers.
import { writeFileDurable } from '../durable_write';
import { tf } from '../tf';
import { decodeEntry, MAX_HEADER_BYTES, parseSafetensorsHeader } from './parse';
import { SafetensorsError } from './safetensors_error';
import { serializeSafetensors, type SerializeOptions } from './serialize';

type FsPromises = typeof import('node:fs/promises');

async function fsp(): Promise<FsPromises> {
  return import('node:fs/promises');
}

async function readExactly(fh: import('node:fs/promises').FileHandle, length: number, position: number, path: string) {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new SafetensorsError(path, `file ended while reading ${length} bytes at offset ${position}.`);
    done += bytesRead;
  }
  return buf;
}

/**
 * Loads every tensor of a .safetensors file. Reads the header, then each tensor's byte range on its
 * own, so at most one tensor's raw bytes are held beside the decoded tensors (never a whole-file copy).
 */
export async function loadSafetensors(path: string): Promise<Record<string, tf.Tensor>> {
  const fs = await fsp();
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    throw new SafetensorsError(path, `cannot open the file (${(e as Error).message}).`);
  }
  const out: Record<string, tf.Tensor> = {};
  try {
    const { size } = await fh.stat();
    if (size < 8) throw new SafetensorsError(path, `file is ${size} bytes, shorter than the 8-byte header length.`);
    const lenBytes = await readExactly(fh, 8, 0, path);
    const n = new DataView(lenBytes.buffer).getBigUint64(0, true);
    const headerLength = n > BigInt(MAX_HEADER_BYTES) || 8n + n > BigInt(size) ? 0 : Number(n);
    const head = new Uint8Array(8 + headerLength);
    head.set(lenBytes);
    if (headerLength > 0) head.set(await readExactly(fh, headerLength, 8, path), 8);
    const header = parseSafetensorsHeader(head, size, path);
    for (const e of header.entries) {
      const bytes = await readExactly(fh, e.end - e.begin, header.dataStart + e.begin, path);
      out[e.name] = decodeEntry(e, bytes, path);
    }
    return out;
  } catch (err) {
    tf.dispose(Object.values(out));
    throw err;
  } finally {
    await fh.close();
  }
}

/** Writes tensors durably and atomically (writeFileDurable: temp file flushed, renamed, directory flushed). */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
  opts: Omit<SerializeOptions, 'source'> = {},
): Promise<void> {
  const bytes = serializeSafetensors(tensors, metadata, { ...opts, source: path });
  try {
    await writeFileDurable(path, bytes);
  } catch (e) {
    throw new SafetensorsError(path, `cannot write the file (${(e as Error).message}).`);
  }
}

/**
 * Loads an HF checkpoint directory's weights: `model.safetensors`, or the shards listed in
 * `model.safetensors.index.json` ({"weight_map": {name: file}}), checking every listed tensor is found.
 */
export async function loadCheckpointWeights(dir: string): Promise<Record<string, tf.Tensor>> {
  const fs = await fsp();
  const { join } = await import('node:path');
  const single = join(dir, 'model.safetensors');
  const indexPath = join(dir, 'model.safetensors.index.json');
  const exists = async (p: string) => fs.access(p).then(() => true, () => false);
  if (await exists(single)) return loadSafetensors(single);
  if (!(await exists(indexPath))) {
    throw new SafetensorsError(dir, 'no model.safetensors or model.safetensors.index.json in this directory.');
  }
  let weightMap: Record<string, unknown>;
  try {
    const index = JSON.parse(await fs.readFile(indexPath, 'utf8')) as { weight_map?: unknown };
    if (typeof index.weight_map !== 'object' || index.weight_map === null) throw new Error('no "weight_map" object');
    weightMap = index.weight_map as Record<string, unknown>;
  } catch (e) {
    throw new SafetensorsError(indexPath, `invalid shard index (${(e as Error).message}).`);
  }
  const files = [...new Set(Object.values(weightMap))];
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const file of files) {
      if (typeof file !== 'string' || file.includes('/') || file.includes('\\')) {
        throw new SafetensorsError(indexPath, `weight_map names an invalid shard file ${JSON.stringify(file)}.`);
      }
      const shard = await loadSafetensors(join(dir, file));
      for (const [name, t] of Object.entries(shard)) {
        if (name in out) {
          tf.dispose(Object.values(shard));
          throw new SafetensorsError(join(dir, file), `tensor "${name}" appears in more than one shard.`);
        }
        out[name] = t;
      }
    }
    for (const [name, file] of Object.entries(weightMap)) {
      if (!(name in out)) throw new SafetensorsError(join(dir, String(file)), `tensor "${name}" listed in the index is missing.`);
    }
  } catch (err) {
    tf.dispose(Object.values(out));
    throw err;
  }
  return out;
}
