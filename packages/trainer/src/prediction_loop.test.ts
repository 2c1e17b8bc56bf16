import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import type { ModelInputs } from '@attn/models';
import { predictionLoop } from './prediction_loop';
import type { EvalPrediction } from './prediction_output';
import type { TrainableModel } from './trainable_model';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Token logits [B, S, 2] = (id, -id) per token: enough to see where each value lands. */
const tokenModel = {
  forward: ({ inputIds }: { inputIds: tf.Tensor }) => {
    const ids = inputIds.toFloat().expandDims(-1);
    return { logits: tf.concat([ids, ids.neg()], -1) };
  },
  train: () => undefined,
  eval: () => undefined,
} as unknown as TrainableModel;

/** Two dynamically padded batches: sequence lengths 3 and 2. */
function batches(): ModelInputs[] {
  return [
    { inputIds: tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'), labels: tf.tensor2d([[0, 1, -100], [1, 1, 0]], [2, 3], 'int32') },
    { inputIds: tf.tensor2d([[7, 8]], [1, 2], 'int32'), labels: tf.tensor2d([[1, 0]], [1, 2], 'int32') },
  ];
}

describe('predictionLoop', () => {
  it('hands computeMetrics arrays concatenated over batches, ragged sequences padded with -100 (HF nested_concat)', () => {
    const before = tf.memory().numTensors;
    const source = Object.assign(batches(), { length: 2 });
    let seen: EvalPrediction | undefined;
    const out = predictionLoop(tokenModel, source, 'eval', (p) => ((seen = p), { tokens: p.labelIds.labels!.shape[0]! }));
    expect(tf.memory().numTensors).toBe(before); // the loop disposes every batch
    expect(seen!.predictions.logits!.shape).toEqual([3, 3, 2]);
    expect([...seen!.predictions.logits!.data]).toEqual([1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, -100, -100]);
    expect(seen!.labelIds.labels!.shape).toEqual([3, 3]);
    expect(seen!.labelIds.labels!.data).toBeInstanceOf(Int32Array);
    expect([...seen!.labelIds.labels!.data]).toEqual([0, 1, -100, 1, 1, 0, 1, 0, -100]);
    expect(out.metrics.eval_tokens).toBe(3);
    // predict()'s output is the same concatenated arrays.
    expect(out.predictions.logits!.shape).toEqual([3, 3, 2]);
  });

  it('with lossOnly copies no outputs or labels (HF prediction_loss_only), and computeMetrics is not called', () => {
    const source = Object.assign(batches(), { length: 2 });
    let called = false;
    const out = predictionLoop(tokenModel, source, 'eval', () => ((called = true), {}), { lossOnly: true });
    expect(out.predictions).toEqual({});
    expect(out.labelIds).toEqual({});
    expect(called).toBe(false);
  });

  it('collects every named output tensor but the loss and lists (HF: all outputs), except ignoreKeys', () => {
    const withExtras = {
      ...tokenModel,
      forward: (inputs: ModelInputs) => {
        const { logits } = tokenModel.forward(inputs);
        return { loss: tf.scalar(0.5), logits: logits!, lastHiddenState: tf.ones([inputs.inputIds.shape[0]!, 4]), attentions: [tf.ones([1])] };
      },
    };
    const before = tf.memory().numTensors;
    const out = predictionLoop(withExtras, Object.assign(batches(), { length: 2 }), 'eval');
    expect(Object.keys(out.predictions).sort()).toEqual(['lastHiddenState', 'logits']);
    expect(out.predictions.lastHiddenState!.shape).toEqual([3, 4]);
    expect(out.metrics.eval_loss).toBeCloseTo(0.5, 6);
    const ignored = predictionLoop(withExtras, Object.assign(batches(), { length: 2 }), 'eval', undefined, { ignoreKeys: ['lastHiddenState'] });
    expect(Object.keys(ignored.predictions)).toEqual(['logits']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
