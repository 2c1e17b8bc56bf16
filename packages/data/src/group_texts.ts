import type { CausalLmFeature } from './causal_lm_collator';

export interface GroupTextsOptions {
  /** Tokens per block (HF run_clm's block_size). */
  blockSize: number;
  /** Drop the final short block, as HF's `group_texts`. Default true. */
  dropRemainder?: boolean;
}

/**
 * HF run_clm's `group_texts`: the tokenized texts are concatenated and cut into blocks of blockSize tokens, so
 * no padding is spent and documents run on across block boundaries (put an EOS id at the end of each text to
 * separate them). Yields block by block; the labels are the blocks themselves (causalLmCollator).
 */
export function* groupTexts(tokenized: Iterable<readonly number[]>, opts: GroupTextsOptions): IterableIterator<CausalLmFeature> {
  const { blockSize } = opts;
  if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new RangeError(`groupTexts: blockSize must be a positive integer, got ${blockSize}.`);
  let buffer: number[] = [];
  for (const ids of tokenized) {
    for (const id of ids) buffer.push(id);
    let start = 0;
    while (buffer.length - start >= blockSize) {
      yield { inputIds: buffer.slice(start, start + blockSize) };
      start += blockSize;
    }
    if (start > 0) buffer = buffer.slice(start);
  }
  if (buffer.length > 0 && !(opts.dropRemainder ?? true)) yield { inputIds: buffer };
}
