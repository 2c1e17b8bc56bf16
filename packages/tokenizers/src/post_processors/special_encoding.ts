import type { Encoding } from '../encoding';

/** The Encoding of special tokens added by a post-processor: offsets [0, 0], no word, no sequence. */
export function specialEncoding(ids: number[], tokens: string[], typeId: number): Encoding {
  const n = ids.length;
  return {
    ids: [...ids],
    typeIds: new Array<number>(n).fill(typeId),
    tokens: [...tokens],
    offsets: Array.from({ length: n }, (): [number, number] => [0, 0]),
    attentionMask: new Array<number>(n).fill(1),
    specialTokensMask: new Array<number>(n).fill(1),
    wordIds: new Array<number | null>(n).fill(null),
    sequenceIds: new Array<number | null>(n).fill(null),
    overflowing: [],
  };
}
