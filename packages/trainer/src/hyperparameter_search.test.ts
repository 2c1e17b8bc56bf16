import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { MedianPruner } from '@attn/tune';
import { Trainer } from './trainer';
import { PruningCallback, type TrialReporter } from './callbacks/pruning_callback';
import { hyperparameterSearch } from './hyperparameter_search';
import { TinyClassifier } from '../test/tiny_classifier';
import { tinyLoader } from '../test/tiny_data';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const cfg = { vocabSize: 50, hidden: 16, numLabels: 2, dropout: 0, seed: 3 };
const dir = () => mkdtempSync(join(tmpdir(), 'attn-hps-'));

/** Trains a TinyClassifier for `epochs` epochs with a PruningCallback reporting to `trial`. */
async function pruningRun(trial: TrialReporter, epochs: number) {
  const model = new TinyClassifier(cfg);
  const cb = new PruningCallback(trial);
  const t = new Trainer({
    model,
    args: { outputDir: dir(), learningRate: 1e-2, numTrainEpochs: epochs, evalStrategy: 'epoch', saveStrategy: 'no', loggingStrategy: 'no' },
    trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 1 }),
    evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
    callbacks: [cb],
  });
  await t.train();
  return { model, cb, t };
}

describe('PruningCallback', () => {
  it('reports the eval metric once per epoch and stops training when the trial is pruned', async () => {
    const reports: [number, number][] = [];
    const trial: TrialReporter = { report: (v, s) => reports.push([s, v]), shouldPrune: () => reports.length >= 2 };
    const { model, cb, t } = await pruningRun(trial, 4);
    expect(reports.map(([s]) => s)).toEqual([1, 2]);
    expect(cb.pruned).toBe(true);
    expect(t.state.globalStep).toBe(8);
    expect(cb.lastValue).toBe(reports[1]![1]);
    t.dispose();
    model.dispose();
  });

  it('reports the evaluation at the end of training but never prunes there: the trial trained to the end', async () => {
    const reports: [number, number][] = [];
    let asked = 0;
    const trial: TrialReporter = { report: (v, s) => reports.push([s, v]), shouldPrune: () => (asked++, true) };
    const { model, cb, t } = await pruningRun(trial, 1);
    expect(reports.map(([s]) => s)).toEqual([1]);
    expect(asked).toBe(0);
    expect(cb.pruned).toBe(false);
    expect(t.state.globalStep).toBe(4);
    t.dispose();
    model.dispose();
  });

  it('names the available metrics when the one asked for is missing', async () => {
    const model = new TinyClassifier(cfg);
    const t = new Trainer({
      model,
      args: { outputDir: dir(), numTrainEpochs: 1, evalStrategy: 'epoch', saveStrategy: 'no', loggingStrategy: 'no' },
      trainDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1 }),
      evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
      callbacks: [new PruningCallback({ report: () => {}, shouldPrune: () => false }, { metric: 'accuracy' })],
    });
    await expect(t.train()).rejects.toThrow('PruningCallback: the metric "accuracy" is not among the evaluation\'s eval_loss');
    t.dispose();
    model.dispose();
  });
});

describe('hyperparameterSearch', () => {
  it('trains a fresh model per trial, takes TrainingArguments from the params, prunes, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    // tidy: TinyClassifier leaves its initializer tensors behind (a test-helper quirk, not the trainer's).
    const tiny = (c: typeof cfg) => tf.tidy(() => new TinyClassifier(c) as unknown as tf.TensorContainer) as unknown as TinyClassifier;
    const base = tiny(cfg);
    const trainer = new Trainer({
      model: base,
      args: { outputDir: dir(), learningRate: 1e-3, numTrainEpochs: 3, evalStrategy: 'epoch', saveStrategy: 'no', loggingStrategy: 'no', seed: 5 },
      trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 1 }),
      evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
    });
    const seen: number[] = [];
    const { study, bestParams, bestValue } = await trainer.hyperparameterSearch({
      space: { learningRate: { type: 'float', low: 1e-4, high: 0.3, log: true }, hidden: { type: 'categorical', choices: [8, 16] } },
      modelInit: (p) => {
        seen.push(p.hidden as number);
        return tiny({ ...cfg, hidden: p.hidden as number });
      },
      nTrials: 8,
      sampler: 'random',
      seed: 1,
      pruner: new MedianPruner({ nStartupTrials: 2 }),
    });
    expect(study.direction).toBe('minimize');
    expect(seen).toHaveLength(8);
    expect(study.trials.filter((t) => t.state === 'complete').every((t) => t.intermediate.map((v) => v.step).join() === '1,2,3')).toBe(true);
    expect(study.trials.some((t) => t.state === 'pruned')).toBe(true);
    expect(bestValue).toBe(Math.min(...study.trials.filter((t) => t.state === 'complete').map((t) => t.value!)));
    expect(bestParams).toBeDefined();
    trainer.dispose();
    base.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is usable without a trainer, from a trainerInit', async () => {
    const r = await hyperparameterSearch({
      space: { learningRate: { type: 'float', low: 1e-3, high: 1e-1, log: true } },
      trainerInit: (p) =>
        new Trainer({
          model: new TinyClassifier(cfg),
          args: { outputDir: dir(), learningRate: p.learningRate as number, maxSteps: 2, saveStrategy: 'no', loggingStrategy: 'no' },
          trainDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1 }),
          evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
        }),
      nTrials: 2,
    });
    // No evaluation during training: each trial is scored by one evaluation at the end.
    expect(r.study.trials.map((t) => t.state)).toEqual(['complete', 'complete']);
  });
});
