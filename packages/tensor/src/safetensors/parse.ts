import { tf } from '../tf';
import { decodeElements, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtype';
import { SafetensorsError } from './safetensors_error';

/** Headers above this are refused before reading them (the safetensors reference limit). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/**
 * Validates the 8-byte length and JSON header against a file of `fileSize` bytes: every entry's
 * dtype known, shape × dtype size equal to its byte range, ranges inside the data section and
 * not overlapping. `headerBytes` must hold the first 8 + headerLength bytes (or more).
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number, source: string): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new SafetensorsError(source, problem);
  };
  if (fileSize < 8 || headerBytes.length < 8) fail(`file is ${fileSize} bytes, shorter than the 8-byte header length.`);
  const view = new DataView(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} is above the ${MAX_HEADER_BYTES}-byte limit.`);
  const headerLength = Number(n);
  if (8 + headerLength > fileSize) fail(`header length ${headerLength} is larger than the file (${fileSize} bytes).`);
  if (headerBytes.length < 8 + headerLength) fail(`only ${headerBytes.length} header bytes were read, ${8 + headerLength} needed.`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header JSON is not an object.');
  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ is not an object.');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string.`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (name === '__proto__') fail('a tensor named "__proto__" is not allowed.');
    if (typeof raw !== 'object' || raw === null) fail(`tensor "${name}": entry is not an object.`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (!isSafetensorsDtype(dtype)) {
      fail(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')}).`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor "${name}": shape ${JSON.stringify(shape)} is not a list of non-negative integers.`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`tensor "${name}": data_offsets ${JSON.stringify(offsets)} is not [begin, end].`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      fail(`tensor "${name}": data_offsets [${begin}, ${end}] out of range (data section is ${dataLength} bytes).`);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = count * SAFETENSORS_DTYPES[dtype as SafetensorsDtype].bytes;
    if (!Number.isSafeInteger(expected) || expected !== end - begin) {
      fail(`tensor "${name}": shape [${shape}] × ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}.`);
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.begin < sorted[i - 1]!.end) {
      fail(`tensors "${sorted[i - 1]!.name}" and "${sorted[i]!.name}" have overlapping data_offsets.`);
    }
  }
  return { entries, metadata, dataStart };
}

/** Decodes one entry from its bytes (the entry's range of the data section) into a tensor. */
export function decodeEntry(entry: SafetensorsEntry, bytes: Uint8Array, source: string): tf.Tensor {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const values = decodeElements(entry.dtype, bytes, count, (i, v) => {
    throw new SafetensorsError(source, `tensor "${entry.name}": I64 value ${v} at index ${i} does not fit in int32.`);
  });
  return tf.tensor(values, entry.shape, SAFETENSORS_DTYPES[entry.dtype].tfDtype);
}

/**
 * Parses a whole safetensors buffer into tensors (F16/BF16 → float32, integer types → int32).
 * Platform-free; `source` names the buffer in errors. Only the decoded tensors are allocated.
 */
export function parseSafetensors(bytes: Uint8Array, source: string): Record<string, tf.Tensor> {
  const header = parseSafetensorsHeader(bytes, bytes.length, source);
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const e of header.entries) {
      out[e.name] = decodeEntry(e, bytes.subarray(header.dataStart + e.begin, header.dataStart + e.end), source);
    }
  } catch (err) {
    tf.dispose(Object.values(out));
    throw err;
  }
  return out;
}

/** The `__metadata__` of a safetensors buffer. */
export function parseSafetensorsMetadata(bytes: Uint8Array, source: string): Record<string, string> {
  return parseSafetensorsHeader(bytes, bytes.length, source).metadata;
}
