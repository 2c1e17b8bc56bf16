import { tf } from '../tf';
import { SafetensorsError } from './safetensors_error';
import { floatToBfloat16, floatToHalf } from './dtype';

export type WritableDtype = 'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'I8' | 'BOOL';

export interface SerializeOptions {
  /** Per-tensor stored dtype; default F32 for float32, I32 for int32, BOOL for bool. F16 / BF16 narrow float32 (rounded to nearest even; F16 overflows to ±Inf); I64 widens int32 (HF input ids); I8 narrows int32 in [-128, 127] (int8 weights). */
  dtypes?: Record<string, WritableDtype>;
  /** Label for errors (default "safetensors"). */
  source?: string;
}

const BYTES: Record<WritableDtype, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8, I8: 1, BOOL: 1 };
const FLOAT: ReadonlySet<WritableDtype> = new Set(['F32', 'F16', 'BF16']);

/**
 * Serializes tensors (sorted by name, contiguous, header space-padded to a multiple of 8 as HF does)
 * with optional string `__metadata__`.
 */
export function serializeSafetensors(
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
  opts: SerializeOptions = {},
): Uint8Array {
  const source = opts.source ?? 'safetensors';
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const plan: Array<{ name: string; dtype: WritableDtype; begin: number }> = [];
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorsError(source, 'a tensor cannot be named "__metadata__".');
    const t = tensors[name]!;
    const dtype = opts.dtypes?.[name] ?? defaultDtype(t, name, source);
    if (FLOAT.has(dtype) !== (t.dtype === 'float32') || (dtype === 'BOOL') !== (t.dtype === 'bool')) {
      throw new SafetensorsError(source, `tensor "${name}": cannot store a ${t.dtype} tensor as ${dtype}.`);
    }
    const size = t.size * BYTES[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    plan.push({ name, dtype, begin: offset });
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  const dataStart = 8 + padded;
  for (const { name, dtype, begin } of plan) {
    const values = tensors[name]!.dataSync();
    const at = dataStart + begin;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (dtype === 'F32') view.setFloat32(at + i * 4, v, true);
      else if (dtype === 'F16') view.setUint16(at + i * 2, floatToHalf(v), true);
      else if (dtype === 'BF16') view.setUint16(at + i * 2, floatToBfloat16(v), true);
      else if (dtype === 'I32') view.setInt32(at + i * 4, v, true);
      else if (dtype === 'I64') view.setBigInt64(at + i * 8, BigInt(v), true);
      else if (dtype === 'I8') {
        if (v < -128 || v > 127) throw new SafetensorsError(source, `tensor "${name}": value ${v} at ${i} does not fit I8 (-128..127).`);
        view.setInt8(at + i, v);
      }
      else out[at + i] = v ? 1 : 0;
    }
  }
  return out;
}

function defaultDtype(t: tf.Tensor, name: string, source: string): WritableDtype {
  if (t.dtype === 'float32') return 'F32';
  if (t.dtype === 'int32') return 'I32';
  if (t.dtype === 'bool') return 'BOOL';
  throw new SafetensorsError(source, `tensor "${name}": dtype ${t.dtype} cannot be written (float32, int32, bool).`);
}
