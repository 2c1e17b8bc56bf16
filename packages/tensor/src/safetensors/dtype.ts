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

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** float32 → IEEE half bits, rounded to nearest even; beyond 65504 → ±Inf, below 2^-25 → ±0, NaN stays NaN. */
export function floatToHalf(v: number): number {
  scratchF32[0] = v;
  const x = scratchU32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00;
  let bits: number;
  let rem: number;
  let mid: number;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    bits = mant >>> shift;
    rem = mant & ((1 << shift) - 1);
    mid = 1 << (shift - 1);
  } else {
    bits = (e << 10) | (mant >>> 13);
    rem = mant & 0x1fff;
    mid = 0x1000;
  }
  // A carry out of the mantissa moves into the exponent, which is the correctly rounded value (up to Inf).
  if (rem > mid || (rem === mid && bits & 1)) bits++;
  return sign | bits;
}

/** float32 → bfloat16 bits (the top half), rounded to nearest even; NaN stays NaN. */
export function floatToBfloat16(v: number): number {
  scratchF32[0] = v;
  const x = scratchU32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
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
