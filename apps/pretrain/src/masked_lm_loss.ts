import { tf, softmaxCrossEntropy } from '@attn/tensor';
import type { BertForMaskedLM, ModelInputs } from '@attn/models';
import type { ComputeLoss } from '@attn/trainer';

/** Flat indices of the positions with a label (labels != -100) and those labels, read on the host. */
export function maskedTargets(labels: tf.Tensor): { positions: number[]; targets: number[] } {
  const lab = labels.dataSync();
  const positions: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < lab.length; i++) {
    if (lab[i] !== -100) {
      positions.push(i);
      targets.push(lab[i]!);
    }
  }
  return { positions, targets };
}

/**
 * MLM logits [m, vocab] at the flat positions only: the encoder runs on every token, the prediction head
 * (a [tokens, hidden] × [hidden, vocab] product, the bulk of a tiny model's compute) on the ~15% that are
 * predicted — about 6× less head compute than BertForMaskedLM.forward, for the same loss.
 */
export function maskedLogits(model: BertForMaskedLM, inputs: ModelInputs, positions: readonly number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const h = model.bert.forward({ inputIds: inputs.inputIds, attentionMask: inputs.attentionMask, tokenTypeIds: inputs.tokenTypeIds }).lastHiddenState!;
    const hidden = h.shape[2]!;
    const picked = tf.gather(tf.reshape(h, [-1, hidden]), tf.tensor1d(positions as number[], 'int32')); // [m, hidden]
    const logits = model.cls.predictions.forward(tf.expandDims(picked, 0), model.bert.embeddings.word_embeddings.weight);
    return tf.squeeze(logits, [0]) as tf.Tensor2D;
  });
}

/**
 * The Trainer's computeLoss for MLM pretraining: mean cross-entropy over the labelled positions, with the
 * head run on those positions only (maskedLogits). Equal to BertForMaskedLM.forward's loss.
 */
export function maskedPositionsLoss(model: BertForMaskedLM): ComputeLoss {
  return (_model, inputs) => {
    if (!inputs.labels) throw new Error('maskedPositionsLoss: the batch has no labels (an MLM collator adds them).');
    const { positions, targets } = maskedTargets(inputs.labels);
    // A batch without a single masked token (possible only for tiny batches): a zero loss that still
    // depends on the parameters, so the gradient step is a no-op instead of an error.
    if (positions.length === 0) return tf.mul(tf.sum(maskedLogits(model, inputs, [0])), 0) as tf.Scalar;
    const logits = maskedLogits(model, inputs, positions);
    return softmaxCrossEntropy(logits, tf.tensor1d(targets, 'int32'), { ignoreIndex: -100 }) as tf.Scalar;
  };
}
