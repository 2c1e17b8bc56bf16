import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { Trainer } from './trainer';
import { TINY_MODEL_CONFIG, lossRecorder as recorder } from '../test/loss_recorder';
import type { ComputeLossResult } from './compute_loss';
import type { ModelInputs, ModelOutput } from '@attn/models';
import type { TrainableModel } from './trainable_model';
import { TinyClassifier } from '../test/tiny_classifier';
import { tinyLoader } from '../test/tiny_data';
import type { TrainingArgumentsInput } from './training_arguments';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const modelConfig = TINY_MODEL_CONFIG;

// Plain SGD without clipping: a loss scaled by 3 at learning rate lr / 3 takes exactly the same steps.
const args = (lr: number): TrainingArgumentsInput => ({
  outputDir: mkdtempSync(join(tmpdir(), 'attn-compute-loss-')),
  optim: 'sgd',
  learningRate: lr,
  maxGradNorm: 0,
  maxSteps: 6,
  lrSchedulerType: 'constant',
  saveStrategy: 'no',
  loggingStrategy: 'no',
  seed: 11,
});

/** A subclass that trains on three times the model's loss (HF: override compute_loss). */
class TripleLossTrainer extends Trainer {
  override computeLoss(model: TrainableModel, inputs: ModelInputs, returnOutputs = false): ComputeLossResult<ModelOutput> {
    const outputs = model.forward(inputs);
    const loss = tf.mul(outputs.loss!, 3) as tf.Scalar;
    return returnOutputs ? { loss, outputs } : loss;
  }
}

/** Cross-entropy computed outside the model, from logits of a forward without labels (as pretraining's masked-position loss). */
function externalCrossEntropy(model: TrainableModel, inputs: ModelInputs): tf.Scalar {
  const { labels, ...unlabelled } = inputs;
  const logits = model.forward(unlabelled).logits!;
  const onehot = tf.oneHot(tf.cast(labels!, 'int32'), logits.shape[1]!);
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

describe('computeLoss (HF compute_loss)', () => {
  it('a subclass override is what training differentiates and evaluation reports', async () => {
    const recA = recorder();
    const a = new Trainer({ model: new TinyClassifier(modelConfig), args: args(0.3), trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 5 }), callbacks: [recA] });
    await a.train();
    const evalA = await a.evaluate(tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }));

    const recB = recorder();
    const b = new TripleLossTrainer({ model: new TinyClassifier(modelConfig), args: args(0.1), trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 5 }), callbacks: [recB] });
    await b.train();
    const evalB = await b.evaluate(tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }));
    const predB = await b.predict(tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }));

    expect(recB.losses).toHaveLength(6);
    recB.losses.forEach((l, i) => expect(l).toBeCloseTo(3 * recA.losses[i]!, 4));
    expect(evalB.eval_loss!).toBeCloseTo(3 * evalA.eval_loss!, 4);
    // The hook's outputs are the predictions.
    expect(predB.predictions.logits!.shape).toEqual([16, 2]);
    a.dispose();
    b.dispose();
  });

  it('the computeLoss option: a loss from a forward without labels trains exactly like the model\'s own loss', async () => {
    const recA = recorder();
    const a = new Trainer({ model: new TinyClassifier(modelConfig), args: args(0.3), trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 5 }), callbacks: [recA] });
    await a.train();
    const recB = recorder();
    const counts: number[] = [];
    const b = new Trainer({
      model: new TinyClassifier(modelConfig),
      args: args(0.3),
      trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 5 }),
      callbacks: [recB, { onStepEnd: () => void counts.push(tf.memory().numTensors) }],
      computeLoss: (model, inputs) => externalCrossEntropy(model, inputs),
    });
    await b.train();
    recB.losses.forEach((l, i) => expect(l).toBeCloseTo(recA.losses[i]!, 5));
    // No tensor leaks through the hook.
    expect(new Set(counts.slice(1)).size).toBe(1);
    // Evaluation reports the hook's loss; a hook without outputs leaves no predictions.
    const metrics = await b.evaluate(tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }));
    expect(metrics.eval_loss).toBeGreaterThan(0);
    a.dispose();
    b.dispose();
  });

  it('a hook that returns a non-scalar fails with a one-line error', async () => {
    const t = new Trainer({
      model: new TinyClassifier(modelConfig),
      args: args(0.1),
      trainDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 5 }),
      computeLoss: (model, inputs) => model.forward(inputs).logits! as tf.Scalar,
    });
    await expect(t.train()).rejects.toThrow(/computeLoss must return a scalar loss.*shape \[8, 2\]/);
    t.dispose();
  });
});
