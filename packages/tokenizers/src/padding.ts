import type { Encoding } from './encoding';
import type { Direction } from './truncation';

export interface PaddingOptions {
  /** 'longest' pads to the longest in the batch (default), 'max_length' to `maxLength`. */
  strategy?: 'longest' | 'max_length';
  maxLength?: number;
  padToMultipleOf?: number;
  direction?: Direction;
  padId?: number;
  padTypeId?: number;
  padToken?: string;
}

/** HF Encoding::pad: pads the overflowing windows first, then this encoding, to `length` tokens. */
export function padEncoding(enc: Encoding, length: number, padId: number, padTypeId: number, padToken: string, direction: Direction): void {
  for (const o of enc.overflowing) padEncoding(o, length, padId, padTypeId, padToken, direction);
  const n = length - enc.ids.length;
  if (n <= 0) return;
  const fill = <T>(v: T): T[] => new Array<T>(n).fill(v);
  const offs = Array.from({ length: n }, (): [number, number] => [0, 0]);
  if (direction === 'left') {
    enc.ids.unshift(...fill(padId));
    enc.typeIds.unshift(...fill(padTypeId));
    enc.tokens.unshift(...fill(padToken));
    enc.wordIds.unshift(...fill<number | null>(null));
    enc.sequenceIds.unshift(...fill<number | null>(null));
    enc.attentionMask.unshift(...fill(0));
    enc.specialTokensMask.unshift(...fill(1));
    enc.offsets.unshift(...offs);
  } else {
    enc.ids.push(...fill(padId));
    enc.typeIds.push(...fill(padTypeId));
    enc.tokens.push(...fill(padToken));
    enc.wordIds.push(...fill<number | null>(null));
    enc.sequenceIds.push(...fill<number | null>(null));
    enc.attentionMask.push(...fill(0));
    enc.specialTokensMask.push(...fill(1));
    enc.offsets.push(...offs);
  }
}

/** HF pad_encodings: the target length is fixed or the batch's longest, rounded up to a multiple. */
export function padEncodings(encodings: Encoding[], p: Required<Omit<PaddingOptions, 'maxLength'>> & { maxLength?: number }): void {
  if (encodings.length === 0) return;
  let length = p.strategy === 'max_length' && p.maxLength !== undefined ? p.maxLength : Math.max(...encodings.map((e) => e.ids.length));
  const m = p.padToMultipleOf;
  if (m > 0 && length % m > 0) length += m - (length % m);
  for (const e of encodings) padEncoding(e, length, p.padId, p.padTypeId, p.padToken, p.direction);
}
