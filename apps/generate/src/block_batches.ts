import { ArrayDataset, DataLoader, causalLmCollator, groupTexts, type CausalLmBatch, type CausalLmFeature } from '@attn/data';
import type { Tokenizer } from '@attn/tokenizers';
import { CliError } from '@attn/cli';

/** Tokenizes texts (special tokens as the tokenizer adds them, e.g. Llama's <s>) and cuts blockSize-token blocks. */
export function tokenizeIntoBlocks(tokenizer: Tokenizer, texts: readonly string[], blockSize: number, source: string): CausalLmFeature[] {
  const blocks = [...groupTexts(texts.map((t) => tokenizer.encode(t).ids), { blockSize })];
  if (blocks.length === 0) {
    throw new CliError(`${source}: fewer than ${blockSize} tokens in all; pass a longer text or a smaller --block-size.`);
  }
  return blocks;
}

/** Batches of blocks: labels = ids (the model shifts them). */
export function blockLoader(blocks: CausalLmFeature[], opts: { batchSize: number; padTokenId: number; shuffle?: boolean; seed?: number }): DataLoader<CausalLmFeature, CausalLmBatch> {
  return new DataLoader(new ArrayDataset(blocks), {
    batchSize: opts.batchSize,
    shuffle: opts.shuffle ?? false,
    seed: opts.seed,
    collate: causalLmCollator({ padTokenId: opts.padTokenId }),
  });
}
