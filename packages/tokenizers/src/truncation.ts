import { TokenizerError } from './errors';
import { emptyEncoding, sliceEncoding, type Encoding } from './encoding';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';
export type Direction = 'right' | 'left';

export interface TruncationOptions {
  /** Maximum number of tokens, special tokens included. */
  maxLength: number;
  /** Tokens shared by consecutive overflowing windows (default 0). */
  stride?: number;
  strategy?: TruncationStrategy;
  direction?: Direction;
}

/**
 * HF Encoding::truncate: keeps `maxLen` tokens and moves the rest into overflowing windows of
 * `maxLen` tokens that overlap by `stride`.
 */
export function truncateEncoding(enc: Encoding, maxLen: number, stride: number, direction: Direction): Encoding {
  const n = enc.ids.length;
  if (maxLen >= n) return enc;
  if (maxLen === 0) {
    const e = emptyEncoding();
    e.overflowing.push(enc);
    return e;
  }
  if (stride >= maxLen) {
    throw new TokenizerError(`truncation stride (${stride}) must be smaller than the room left for the sequence (${maxLen} tokens, after the special tokens); lower stride or raise maxLength`, { field: 'truncation.stride' });
  }
  const step = maxLen - stride;
  const ranges: Array<[number, number]> = [];
  if (direction === 'right') {
    for (let start = 0; start < n; start += step) {
      const stop = Math.min(start + maxLen, n);
      ranges.push([start, stop]);
      if (stop === n) break;
    }
  } else {
    for (let top = n - 1; top >= 0; top -= step) {
      const stop = top + 1;
      const start = Math.max(stop - maxLen, 0);
      ranges.push([start, stop]);
      if (start === 0) break;
    }
  }
  const out = sliceEncoding(enc, ranges[0]![0], ranges[0]![1]);
  for (let i = 1; i < ranges.length; i++) out.overflowing.push(sliceEncoding(enc, ranges[i]![0], ranges[i]![1]));
  return out;
}

/** HF truncate_encodings: applies a strategy to a sequence and its optional pair. */
export function truncateEncodings(a: Encoding, b: Encoding | null, t: Required<TruncationOptions>): [Encoding, Encoding | null] {
  const { maxLength, stride, direction, strategy } = t;
  if (maxLength === 0) {
    return [truncateEncoding(a, 0, stride, direction), b && truncateEncoding(b, 0, stride, direction)];
  }
  const total = a.ids.length + (b ? b.ids.length : 0);
  if (total <= maxLength) return [a, b];
  const toRemove = total - maxLength;
  if (strategy === 'longest_first') {
    if (!b) return [truncateEncoding(a, total - toRemove, stride, direction), null];
    let n1 = a.ids.length;
    let n2 = b.ids.length;
    let swap = false;
    if (n1 > n2) {
      swap = true;
      [n1, n2] = [n2, n1];
    }
    if (n1 > maxLength) n2 = n1;
    else n2 = Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    return [truncateEncoding(a, n1, stride, direction), truncateEncoding(b, n2, stride, direction)];
  }
  if (strategy === 'only_second' && !b) {
    throw new TokenizerError('truncation strategy only_second needs a pair of sequences; use longest_first or only_first for single inputs', { field: 'truncation.strategy' });
  }
  const target = strategy === 'only_first' ? a : b!;
  const len = target.ids.length;
  if (len <= toRemove) {
    throw new TokenizerError(`the ${strategy === 'only_first' ? 'first' : 'second'} sequence has ${len} tokens, too few to remove ${toRemove} with ${strategy}; raise maxLength or use longest_first`, { field: 'truncation.maxLength' });
  }
  const cut = truncateEncoding(target, len - toRemove, stride, direction);
  return strategy === 'only_first' ? [cut, b] : [a, cut];
}
