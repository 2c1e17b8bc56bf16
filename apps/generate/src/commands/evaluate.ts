import { tf } from '@attn/tensor';
import { PerplexityAccumulator } from '@attn/metrics';
import { numberFlag, startBackend } from '@attn/cli';
import { loadCausalLM, type CausalLM } from '../causal_lm_dir';
import { readCorpus } from '../text_corpus';
import { blockLoader, tokenizeIntoBlocks } from '../block_batches';
import type { CausalLmFeature } from '@attn/data';

export interface EvalFlags {
  model: string;
  data: string;
  textField?: string;
  blockSize?: string;
  batchSize?: string;
  backend?: string;
}

export interface PerplexityResult {
  loss: number;
  perplexity: number;
  tokens: number;
  blocks: number;
}

/** Mean next-token NLL and perplexity over blocks, weighted by predicted tokens (labels != -100 after the shift). */
export function blockPerplexity(model: CausalLM, blocks: CausalLmFeature[], batchSize: number, padTokenId: number): PerplexityResult {
  const acc = new PerplexityAccumulator();
  model.eval();
  for (const batch of blockLoader(blocks, { batchSize, padTokenId })) {
    const [loss, tokens] = tf.tidy(() => {
      const out = model.forward({ inputIds: batch['inputIds']!, attentionMask: batch['attentionMask'], labels: batch['labels'] });
      // Token t predicts label t + 1: the first position of each row has no prediction scored.
      const labels = batch['labels']!;
      const [b, s] = labels.shape as [number, number];
      const scored = tf.sum(tf.cast(tf.notEqual(tf.slice(labels, [0, 1], [b, s - 1]), tf.scalar(-100, 'int32')), 'int32'));
      return [out.loss!.dataSync()[0]!, scored.dataSync()[0]!];
    });
    tf.dispose(Object.values(batch));
    acc.add(loss, tokens);
  }
  return { loss: acc.meanNll, perplexity: acc.value, tokens: acc.tokens, blocks: blocks.length };
}

/** `attn-generate eval`: held-out perplexity of a saved causal LM on a corpus. */
export async function evaluateCommand(f: EvalFlags, print: (s: string) => void = (s) => console.log(s)): Promise<PerplexityResult> {
  await startBackend(f.backend);
  const { model, tokenizer } = await loadCausalLM(f.model);
  try {
    const blockSize = f.blockSize === undefined ? Math.min(128, model.config.maxPositionEmbeddings) : numberFlag('block-size', f.blockSize, { int: true, min: 2, max: model.config.maxPositionEmbeddings });
    const batchSize = f.batchSize === undefined ? 8 : numberFlag('batch-size', f.batchSize, { int: true, min: 1 });
    const blocks = tokenizeIntoBlocks(tokenizer, await readCorpus(f.data, f.textField), blockSize, f.data);
    const r = blockPerplexity(model, blocks, batchSize, tokenizer.padTokenId ?? 0);
    print(`${f.data}: ${r.blocks} blocks of ${blockSize} tokens, ${r.tokens} predicted tokens`);
    print(`loss ${r.loss.toFixed(4)}  perplexity ${r.perplexity.toFixed(2)}`);
    return r;
  } finally {
    model.dispose();
  }
}
