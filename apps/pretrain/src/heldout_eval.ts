import { tf, softmaxCrossEntropy } from '@attn/tensor';
import { MlmCollator, causalLmCollator, type MlmFeature } from '@attn/data';
import type { BertForMaskedLM, ModelInputs, TaskModel } from '@attn/models';
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

/** Masked-token loss, perplexity and accuracy of `segments` with fixed masks; the model's train/eval mode is kept. */
export function evaluateMlm(
  model: BertForMaskedLM,
  segments: readonly MlmFeature[],
  opts: { batchSize: number; maskTokenId: number; padTokenId: number; vocabSize: number },
): MlmEvaluation {
  const wasTraining = model.training;
  model.eval();
  const collator = new MlmCollator({ maskTokenId: opts.maskTokenId, padTokenId: opts.padTokenId, vocabSize: opts.vocabSize, seed: HELDOUT_MASK_SEED });
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  const t0 = performance.now();
  try {
    for (let i = 0; i < segments.length; i += opts.batchSize) {
      const batch = collator.collate(segments.slice(i, i + opts.batchSize));
      try {
        const { positions, targets } = maskedTargets(batch['labels']!);
        if (positions.length === 0) continue;
        tf.tidy(() => {
          const logits = maskedLogits(model, batch as unknown as ModelInputs, positions);
          lossSum += softmaxCrossEntropy(logits, tf.tensor1d(targets, 'int32')).dataSync()[0]! * positions.length;
          const pred = tf.argMax(logits, 1).dataSync();
          for (let k = 0; k < pred.length; k++) if (pred[k] === targets[k]) correct++;
          count += positions.length;
        });
      } finally {
        for (const t of Object.values(batch)) t.dispose();
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const loss = lossSum / Math.max(count, 1);
  return { eval_mlm_loss: loss, eval_perplexity: Math.exp(loss), eval_masked_accuracy: correct / Math.max(count, 1), eval_masked_tokens: count, eval_runtime: (performance.now() - t0) / 1000 };
}

/** Next-token loss, perplexity and accuracy of full blocks (every token but each block's first is predicted). */
export function evaluateClm(model: TaskModel, blocks: readonly number[][], opts: { batchSize: number; padTokenId: number }): ClmEvaluation {
  const wasTraining = model.training;
  model.eval();
  const collate = causalLmCollator({ padTokenId: opts.padTokenId });
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  const t0 = performance.now();
  try {
    for (let i = 0; i < blocks.length; i += opts.batchSize) {
      const batch = collate(blocks.slice(i, i + opts.batchSize).map((inputIds) => ({ inputIds })));
      try {
        tf.tidy(() => {
          const out = model.forward(batch as unknown as ModelInputs);
          const logits = out.logits!; // [b, s, vocab]
          const [b, s] = logits.shape as [number, number, number];
          const n = b * (s - 1);
          lossSum += out.loss!.dataSync()[0]! * n;
          const pred = tf.argMax(tf.slice(logits, [0, 0, 0], [b, s - 1, -1]), 2).dataSync();
          const next = tf.slice(batch['inputIds']!, [0, 1], [b, s - 1]).dataSync();
          for (let k = 0; k < n; k++) if (pred[k] === next[k]) correct++;
          count += n;
        });
      } finally {
        for (const t of Object.values(batch)) t.dispose();
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const loss = lossSum / Math.max(count, 1);
  return { eval_loss: loss, eval_perplexity: Math.exp(loss), eval_token_accuracy: correct / Math.max(count, 1), eval_tokens: count, eval_runtime: (performance.now() - t0) / 1000 };
}
