import { tf, softmaxCrossEntropy } from '@attn/tensor';
import { MlmCollator, causalLmCollator, type MlmFeature } from '@attn/data';
import type { BertForMaskedLM, TaskModel } from '@attn/models';
import { maskedLogits, maskedTargets } from './masked_lm_loss';

/** Held-out MLM figures (the key names are those of the shipped runs' eval.jsonl). */
export interface MlmEvaluation {
  eval_mlm_loss: number;
  eval_perplexity: number;
  eval_masked_accuracy: number;
  eval_masked_tokens: number;
  eval_runtime: number;
}

/** Held-out causal-LM figures. */
export interface ClmEvaluation {
  eval_loss: number;
  eval_perplexity: number;
  eval_token_accuracy: number;
  eval_tokens: number;
  eval_runtime: number;
}

/** Held-out evaluation's masks: 15% with a fixed seed (a fresh collator each time), whatever --mask-rate trains with. */
export const HELDOUT_MASK_SEED = 1234;

/** What one held-out batch adds: summed loss over its predicted tokens, how many were right, how many there were. */
// A type alias (not an interface) so tf.tidy can return it.
type BatchScore = {
  lossSum: number;
  correct: number;
  count: number;
};

/**
 * One pass over `items` in batches, in eval mode (the model's mode is restored after): each batch is collated,
 * scored inside tf.tidy and disposed. Returns the mean loss, accuracy, token count and seconds.
 */
function heldOutPass<T, B extends object>(
  model: { training: boolean; eval(): unknown; train(mode?: boolean): unknown },
  items: readonly T[],
  batchSize: number,
  collate: (items: T[]) => B,
  score: (batch: B) => BatchScore,
): { loss: number; accuracy: number; count: number; seconds: number } {
  const wasTraining = model.training;
  model.eval();
  const total: BatchScore = { lossSum: 0, correct: 0, count: 0 };
  const t0 = performance.now();
  try {
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = collate(items.slice(i, i + batchSize));
      try {
        const b = tf.tidy(() => score(batch));
        total.lossSum += b.lossSum;
        total.correct += b.correct;
        total.count += b.count;
      } finally {
        for (const t of Object.values(batch) as tf.Tensor[]) t.dispose();
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const n = Math.max(total.count, 1);
  return { loss: total.lossSum / n, accuracy: total.correct / n, count: total.count, seconds: (performance.now() - t0) / 1000 };
}

/** Masked-token loss, perplexity and accuracy of `segments` with fixed masks; the model's train/eval mode is kept. */
export function evaluateMlm(
  model: BertForMaskedLM,
  segments: readonly MlmFeature[],
  opts: { batchSize: number; maskTokenId: number; padTokenId: number; vocabSize: number },
): MlmEvaluation {
  const collator = new MlmCollator({ maskTokenId: opts.maskTokenId, padTokenId: opts.padTokenId, vocabSize: opts.vocabSize, seed: HELDOUT_MASK_SEED });
  const r = heldOutPass(model, segments, opts.batchSize, collator.collate, (batch) => {
    const { positions, targets } = maskedTargets(batch.labels);
    if (positions.length === 0) return { lossSum: 0, correct: 0, count: 0 };
    const logits = maskedLogits(model, batch, positions);
    const pred = tf.argMax(logits, 1).dataSync();
    return {
      lossSum: softmaxCrossEntropy(logits, tf.tensor1d(targets, 'int32')).dataSync()[0]! * positions.length,
      correct: targets.filter((t, k) => pred[k] === t).length,
      count: positions.length,
    };
  });
  return { eval_mlm_loss: r.loss, eval_perplexity: Math.exp(r.loss), eval_masked_accuracy: r.accuracy, eval_masked_tokens: r.count, eval_runtime: r.seconds };
}

/** Next-token loss, perplexity and accuracy of full blocks (every token but each block's first is predicted). */
export function evaluateClm(model: TaskModel, blocks: readonly number[][], opts: { batchSize: number; padTokenId: number }): ClmEvaluation {
  const collate = causalLmCollator({ padTokenId: opts.padTokenId });
  const r = heldOutPass(model, blocks, opts.batchSize, (items: number[][]) => collate(items.map((inputIds) => ({ inputIds }))), (batch) => {
    const out = model.forward(batch);
    const logits = out.logits!; // [b, s, vocab]
    const [b, s] = logits.shape as [number, number, number];
    const pred = tf.argMax(tf.slice(logits, [0, 0, 0], [b, s - 1, -1]), 2).dataSync();
    const next = tf.slice(batch.inputIds, [0, 1], [b, s - 1]).dataSync();
    let correct = 0;
    for (let k = 0; k < next.length; k++) if (pred[k] === next[k]) correct++;
    return { lossSum: out.loss!.dataSync()[0]! * next.length, correct, count: next.length };
  });
  return { eval_loss: r.loss, eval_perplexity: Math.exp(r.loss), eval_token_accuracy: r.accuracy, eval_tokens: r.count, eval_runtime: r.seconds };
}
