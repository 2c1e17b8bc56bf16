import type { tf } from '../tf';

/** The safetensors dtypes attn reads, with their element size and the tfjs dtype they load as. */
export const SAFETENSORS_DTYPES = {
  F32: { bytes: 4, tfDtype: 'float32' },
  F16: { bytes: 2, tfDtype: 'float32' },
  BF16: { bytes: 2, tfDtype: 'float32' },
  I64: { bytes: 8, tfDtype: 'int32' },
  I32: { bytes: 4, tfDtype: 'int32' },
  I8: { bytes: 1, tfDtype: 'int32' },
  U8: { bytes: 1, tfDtype: 'int32' },
  BOOL: { bytes: 1, tfDtype: 'bool' },
} as const satisfies Record<string, { bytes: number; tfDtype: tf.DataType }>;

export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

export function isSafetensorsDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === 'string' && Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPES, d);
}

/** IEEE half → float32, subnormals included (mantissa · 2^-24). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Little-endian element decode of one tensor's bytes into the tfjs-side typed array. */
export function decodeElements(
  dtype: SafetensorsDtype,
  bytes: Uint8Array,
  count: number,
  onInt64Overflow: (index: number, value: bigint) => never,
): Float32Array | Int32Array | Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32':
      // One memcpy into a fresh aligned buffer (hosts are little-endian, as the format).
      return new Float32Array(bytes.slice(0, count * 4).buffer);
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      // bf16 is the top half of a float32: bits << 16, exactly.
      const bits = new Uint32Array(count);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(i * 8, true);
        const hi = view.getInt32(i * 8 + 4, true);
        const fits = (hi === 0 && lo <= 0x7fffffff) || (hi === -1 && lo >= 0x80000000);
        if (!fits) onInt64Overflow(i, view.getBigInt64(i * 8, true));
        out[i] = lo | 0;
      }
      return out;
    }
    case 'I32':
      return new Int32Array(bytes.slice(0, count * 4).buffer);
    case 'I8':
      return Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, count));
    case 'U8':
      return Int32Array.from(bytes.subarray(0, count));
    case 'BOOL':
      return Uint8Array.from(bytes.subarray(0, count), (b) => (b ? 1 : 0));
  }
}
