/**
 * Python's `format(x, '.{digits}f')` and `'{:>{width}}'` in JavaScript, so
 * printed reports match scikit-learn and seqeval character for character.
 *
 * `Number.prototype.toFixed` rounds exact ties away from zero (0.125 → "0.13")
 * while Python rounds the exact binary value half-to-even (0.125 → "0.12"),
 * so the digits are computed here from the exact value with BigInt.
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  // |x| * 10^digits = mantissa * 2^exponent * 10^digits, rounded half-to-even.
  let scaled: bigint;
  const tenPow = 10n ** BigInt(digits);
  if (exponent >= 0) {
    scaled = mantissa * tenPow * (1n << BigInt(exponent));
  } else {
    const num = mantissa * tenPow;
    const den = 1n << BigInt(-exponent);
    const q = num / den;
    const twiceRem = (num % den) * 2n;
    scaled = twiceRem > den || (twiceRem === den && q % 2n === 1n) ? q + 1n : q;
  }
  let s = scaled.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  }
  return negative ? `-${s}` : s;
}

/** Exact decomposition of a finite non-negative double into mantissa * 2^exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Length in code points, which is what Python's `len` and format widths count. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `'{:>{width}}'.format(s)`: right-align to `width` code points, never truncate. */
export function alignRight(s: string, width: number): string {
  const pad = width - codePointLength(s);
  return pad > 0 ? ' '.repeat(pad) + s : s;
}

/** `'{:<{width}}'.format(s)`: left-align to `width` code points, never truncate. */
export function alignLeft(s: string, width: number): string {
  const pad = width - codePointLength(s);
  return pad > 0 ? s + ' '.repeat(pad) : s;
}
