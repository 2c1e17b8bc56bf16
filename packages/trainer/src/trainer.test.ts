import { beforeAll, describe, expect, it } from 'vitest';

import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { Trainer } from './trainer';
import { MemoryStore } from './storage/memory_store';
import type { TrainerCallback } from './callbacks/callback';
import { NonFiniteLossError } from './training_error';
import { TinyClassifier } from '../test/tiny_classifier';
import { collateTiny, tinyLoader } from '../test/tiny_data';
import { ArrayDataset, DataLoader } from '@attn/data';
import type { TrainingArgumentsInput } from './training_arguments';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const modelConfig = { vocabSize: 50, hidden: 16, numLabels: 2, dropout: 0.1, seed: 3 };

/** Records every update's loss. */
function lossRecorder(): TrainerCallback & { losses: number[]; lrs: number[] } {
  const rec = {
    losses: [] as number[],
    lrs: [] as number[],
    onStepEnd(ctx: { loss?: number; learningRate?: number }) {
      rec.losses.push(ctx.loss!);
      rec.lrs.push(ctx.learningRate!);
    },
  };
  return rec;
}

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'attn-trainer-'));
}

const baseArgs = (dir: string): TrainingArgumentsInput => ({
  outputDir: dir,
  learningRate: 5e-2,
  warmupSteps: 3,
  weightDecay: 0.01,
  maxGradNorm: 1,
  loggingSteps: 2,
  saveStrategy: 'no',
  seed: 11,
});

describe('Trainer', () => {
  // N = 6 stops mid-epoch (4 updates per epoch); N = 4 stops exactly at an epoch's end; N = 5 stops between
  // two logging steps (loggingSteps 2), so the resumed run must carry the unlogged losses over.
  it.each([6, 4, 5])('resume reproduces the uninterrupted loss curve exactly (2N vs N + resume N), N = %i', async (N) => {
    // Uninterrupted: 2N updates over 2+ epochs (8 batches per epoch, accumulation 2 → 4 updates per epoch).
    const dirA = outDir();
    const recA = lossRecorder();
    const modelA = new TinyClassifier(modelConfig);
    const a = new Trainer({
      model: modelA,
      args: { ...baseArgs(dirA), maxSteps: 2 * N, gradientAccumulationSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      callbacks: [recA],
    });
    const outA = await a.train();

    // Interrupted: same setup, stop after N updates with a checkpoint …
    const dirB = outDir();
    const recB = lossRecorder();
    const modelB = new TinyClassifier(modelConfig);
    const b1 = new Trainer({
      model: modelB,
      args: { ...baseArgs(dirB), maxSteps: 2 * N, gradientAccumulationSteps: 2, saveStrategy: 'steps', saveSteps: N },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      callbacks: [recB, { onSave: (ctx) => void (ctx.control.shouldStop = true) }],
    });
    await b1.train();
    expect(recB.losses.length).toBe(N);
    expect(existsSync(join(dirB, `checkpoint-${N}`, 'trainer_state.json'))).toBe(true);
    b1.dispose();
    // … then a fresh model and trainer resume from it.
    const modelC = new TinyClassifier({ ...modelConfig, seed: 99 });
    const recC = lossRecorder();
    const b2 = new Trainer({
      model: modelC,
      args: { ...baseArgs(dirB), maxSteps: 2 * N, gradientAccumulationSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      callbacks: [recC],
    });
    const outC = await b2.train({ resumeFromCheckpoint: true });
    expect([...recB.losses, ...recC.losses]).toEqual(recA.losses);
    const logged = (t: Trainer) => t.state.logHistory.filter((l) => 'loss' in l).map((l) => [l.step, l.loss]);
    expect(logged(b2)).toEqual(logged(a));
    expect(outC.trainingLoss).toBe(outA.trainingLoss);
    expect([...recB.lrs, ...recC.lrs]).toEqual(recA.lrs);
    expect([...modelC.namedParameters()[3]![1].dataSync()]).toEqual([...modelA.namedParameters()[3]![1].dataSync()]);
    // Warmup: the first update uses lr 0, as HF.
    expect(recA.lrs[0]).toBe(0);
    [a, b2].forEach((t) => t.dispose());
    [modelA, modelB, modelC].forEach((m) => m.dispose());
  });

  it('numTensors after update 100 equals numTensors after update 1; loss falls', async () => {
    const model = new TinyClassifier(modelConfig);
    const counts: number[] = [];
    const rec = lossRecorder();
    const trainer = new Trainer({
      model,
      args: { ...baseArgs(outDir()), maxSteps: 100, learningRate: 0.05, warmupSteps: 0, loggingSteps: 10, optim: 'adamw' },
      trainDataLoader: tinyLoader({ n: 96, batchSize: 8, seed: 1 }),
      evalDataLoader: tinyLoader({ n: 32, batchSize: 16, seed: 1, shuffle: false, dataSeed: 8 }),
      callbacks: [rec, { onStepEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const before = await trainer.evaluate();
    await trainer.train();
    const after = await trainer.evaluate();
    expect(counts.length).toBe(100);
    expect(counts[99]).toBe(counts[0]);
    expect(after.eval_loss!).toBeLessThan(before.eval_loss! * 0.8);
    const head = rec.losses.slice(0, 10).reduce((s, x) => s + x, 0);
    const tail = rec.losses.slice(-10).reduce((s, x) => s + x, 0);
    expect(tail).toBeLessThan(head);
    trainer.dispose();
    model.dispose();
  });

  it('gradient accumulation of 2 batches of 4 equals one batch of 8 (no dropout, SGD)', async () => {
    const cfg = { ...modelConfig, dropout: 0 };
    const run = async (batchSize: number, accum: number) => {
      const model = new TinyClassifier(cfg);
      const rec = lossRecorder();
      const t = new Trainer({
        model,
        args: { outputDir: outDir(), maxSteps: 3, learningRate: 0.5, optim: 'sgd', sgdMomentum: 0.9, gradientAccumulationSteps: accum, saveStrategy: 'no', maxGradNorm: 0 },
        trainDataLoader: tinyLoader({ n: 48, batchSize, seed: 2, shuffle: false }),
        callbacks: [rec],
      });
      await t.train();
      const w = [...model.namedParameters()[3]![1].dataSync()];
      t.dispose();
      model.dispose();
      return { w, losses: rec.losses };
    };
    const one = await run(8, 1);
    const two = await run(4, 2);
    // The tiny model's per-example loss ignores padding, so the mean of two half-batch means is
    // the full-batch mean: equal up to float32 rounding.
    for (let i = 0; i < one.w.length; i++) expect(Math.abs(one.w[i]! - two.w[i]!)).toBeLessThan(1e-5);
    for (let i = 0; i < 3; i++) expect(Math.abs(one.losses[i]! - two.losses[i]!)).toBeLessThan(1e-5);
    expect(two.losses.length).toBe(3);
  });

  it('a NaN loss stops training with NonFiniteLossError naming the last good checkpoint', async () => {
    const model = new TinyClassifier(modelConfig);
    const dir = outDir();
    const t = new Trainer({
      model,
      args: { ...baseArgs(dir), maxSteps: 10, saveStrategy: 'steps', saveSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      callbacks: [
        {
          onStepEnd: (ctx) => {
            // Poison the weights after update 3: update 4's loss is NaN.
            if (ctx.state.globalStep === 3) model.namedParameters()[3]![1].assign(tf.fill([16, 2], NaN));
          },
        },
      ],
    });
    const err = await t.train().catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/update 4/);
    expect(err.message).toContain(join(dir, 'checkpoint-2'));
    expect(readdirSync(dir).filter((n) => n.startsWith('checkpoint-'))).toEqual(['checkpoint-2']);
    t.dispose();
    model.dispose();
  });

  it('evaluation, best checkpoint, saveTotalLimit and loadBestModelAtEnd', async () => {
    const model = new TinyClassifier(modelConfig);
    const dir = outDir();
    const evals: number[] = [];
    const t = new Trainer({
      model,
      args: {
        ...baseArgs(dir),
        maxSteps: 12,
        evalStrategy: 'steps',
        evalSteps: 3,
        saveStrategy: 'steps',
        saveSteps: 3,
        saveTotalLimit: 1,
        loadBestModelAtEnd: true,
        metricForBestModel: 'accuracy',
      },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      evalDataLoader: tinyLoader({ n: 32, batchSize: 16, seed: 1, shuffle: false, dataSeed: 8 }),
      computeMetrics: ({ predictions, labelIds }) => {
        // One array over the eval set, as HF: [32, 2] logits and [32] labels.
        const p = predictions.logits!;
        const labels = labelIds.labels!.data;
        expect(p.shape).toEqual([32, 2]);
        expect(labelIds.labels!.shape).toEqual([32]);
        let right = 0;
        for (let r = 0; r < p.shape[0]!; r++) right += (p.data[r * 2]! > p.data[r * 2 + 1]! ? 0 : 1) === labels[r] ? 1 : 0;
        return { accuracy: right / p.shape[0]! };
      },
      callbacks: [{ onEvaluate: (ctx) => void evals.push(ctx.metrics!.eval_accuracy!) }],
    });
    await t.train();
    expect(evals.length).toBe(4);
    const bestStep = t.state.bestGlobalStep!;
    expect(t.state.bestMetric).toBe(Math.max(...evals));
    expect(t.state.bestModelCheckpoint).toBe(join(dir, `checkpoint-${bestStep}`));
    const kept = readdirSync(dir).filter((n) => n.startsWith('checkpoint-')).sort();
    expect(kept).toContain(`checkpoint-${bestStep}`);
    expect(kept).toContain('checkpoint-12');
    expect(kept.length).toBe(bestStep === 12 ? 1 : 2);
    // The model now holds the best checkpoint's weights: re-evaluating gives the best accuracy.
    const again = await t.evaluate();
    expect(again.eval_accuracy).toBe(t.state.bestMetric);
    const state = JSON.parse(readFileSync(join(dir, 'checkpoint-12', 'trainer_state.json'), 'utf8'));
    expect(state.globalStep).toBe(12);
    expect(state.logHistory.some((e: Record<string, number>) => 'eval_loss' in e)).toBe(true);
    t.dispose();
    model.dispose();
  });

  it('a save that fails midway leaves the previous checkpoint intact and no partial directory', async () => {
    const model = new TinyClassifier(modelConfig);
    let saves = 0;
    const flaky = Object.assign(Object.create(model) as TinyClassifier, {
      async savePretrained(dir: string) {
        saves += 1;
        if (saves === 2) throw new Error('disk full (simulated)');
        const { writeFileSync } = await import('node:fs');
        writeFileSync(join(dir, 'model.safetensors'), 'weights');
      },
    });
    const dir = outDir();
    const t = new Trainer({
      model: flaky,
      args: { ...baseArgs(dir), maxSteps: 6, saveStrategy: 'steps', saveSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
    });
    await expect(t.train()).rejects.toThrow(/disk full/);
    expect(readdirSync(dir)).toEqual(['checkpoint-2']);
    expect(readdirSync(join(dir, 'checkpoint-2')).sort()).toEqual(
      ['model.safetensors', 'optimizer.json', 'optimizer.safetensors', 'rng_state.json', 'scheduler.json', 'trainer_state.json', 'training_args.json'],
    );
    t.dispose();
    model.dispose();
  });

  it('checkpoints ask savePretrained for float32 (exact resume); the final saveModel leaves the dtype to the model', async () => {
    const model = new TinyClassifier(modelConfig);
    const calls: Array<{ dir: string; dtype: string | undefined }> = [];
    const recording = Object.assign(Object.create(model) as TinyClassifier, {
      async savePretrained(dir: string, opts?: { dtype?: string }) {
        calls.push({ dir, dtype: opts?.dtype });
        const { writeFileSync } = await import('node:fs');
        writeFileSync(join(dir, 'model.safetensors'), 'weights');
      },
    });
    const dir = outDir();
    const t = new Trainer({
      model: recording,
      args: { ...baseArgs(dir), maxSteps: 4, saveStrategy: 'steps', saveSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
    });
    await t.train();
    await t.saveModel(join(dir, 'final'));
    const checkpoints = calls.filter((c) => !c.dir.endsWith('final'));
    expect(checkpoints.length).toBe(2);
    expect(checkpoints.every((c) => c.dtype === 'float32')).toBe(true);
    expect(calls.at(-1)).toEqual({ dir: join(dir, 'final'), dtype: undefined });
    t.dispose();
    model.dispose();
  });

  it('in a store that is not the filesystem, checkpoints ask toPretrainedBytes for float32 too; the final save leaves the dtype to the model', async () => {
    const model = new TinyClassifier(modelConfig);
    const calls: Array<string | undefined> = [];
    const recording = Object.assign(Object.create(model) as TinyClassifier, {
      savePretrained: undefined,
      toPretrainedBytes(opts?: { dtype?: string }) {
        calls.push(opts?.dtype);
        return { config: '{}', safetensors: new Uint8Array(8) };
      },
    });
    const dir = '/runs/bytes';
    const t = new Trainer({
      model: recording,
      args: { ...baseArgs(dir), maxSteps: 4, saveStrategy: 'steps', saveSteps: 2 },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      store: new MemoryStore(),
    });
    await t.train();
    await t.saveModel(`${dir}/final`);
    expect(calls).toEqual(['float32', 'float32', undefined]);
    t.dispose();
    model.dispose();
  });

  it('trainDataset + collator builds the loader; predict returns per-batch outputs and labels', async () => {
    const model = new TinyClassifier({ ...modelConfig, dropout: 0 });
    const items = Array.from({ length: 20 }, (_, i) => ({ ids: Array.from({ length: 1 + (i % 5) }, (_, k) => 1 + ((i * 7 + k) % 49)), label: i % 2 }));
    const t = new Trainer({
      model,
      args: { outputDir: outDir(), perDeviceTrainBatchSize: 6, perDeviceEvalBatchSize: 8, numTrainEpochs: 2, saveStrategy: 'no', learningRate: 0.01 },
      trainDataset: new ArrayDataset(items),
      evalDataset: new ArrayDataset(items),
      collator: collateTiny,
    });
    const out = await t.train();
    expect(out.globalStep).toBe(8); // ceil(20 / 6) = 4 updates per epoch
    const evalLoader = new DataLoader(new ArrayDataset(items), { batchSize: 8, collate: collateTiny });
    const before = tf.memory().numTensors;
    const pred = await t.predict(evalLoader);
    expect(tf.memory().numTensors).toBe(before);
    // Batches of 8, 8 and 4, concatenated.
    expect(pred.predictions.logits!.shape).toEqual([20, 2]);
    expect([...pred.labelIds.labels!.data]).toEqual(items.map((i) => i.label));
    // Same numbers as evaluate(): test_ metrics vs eval_ metrics.
    const m = await t.evaluate();
    expect(pred.metrics.test_loss).toBeCloseTo(m.eval_loss!, 6);
    expect(() => new Trainer({ model, args: { outputDir: outDir() }, trainDataset: new ArrayDataset(items) })).toThrow(/collator/);
    t.dispose();
    model.dispose();
  });

  it("epoch strategies: one evaluation and one checkpoint per epoch, 'epoch' logging", async () => {
    const model = new TinyClassifier(modelConfig);
    const dir = outDir();
    const evals: number[] = [];
    const t = new Trainer({
      model,
      args: { ...baseArgs(dir), numTrainEpochs: 2, evalStrategy: 'epoch', saveStrategy: 'epoch', loggingStrategy: 'epoch', loadBestModelAtEnd: true },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
      evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
      callbacks: [{ onEvaluate: (ctx) => void evals.push(ctx.state.globalStep) }],
    });
    await t.train();
    expect(evals).toEqual([8, 16]);
    expect(readdirSync(dir).filter((n) => n.startsWith('checkpoint-')).sort()).toEqual(['checkpoint-16', 'checkpoint-8']);
    expect(t.state.logHistory.filter((l) => 'loss' in l && !('eval_loss' in l)).map((l) => l.step)).toEqual([8, 16]);
    const saved = JSON.parse(readFileSync(join(dir, 'checkpoint-8', 'trainer_state.json'), 'utf8'));
    expect([saved.epochIndex, saved.batchesInEpoch, saved.epoch]).toEqual([1, 0, 1]);
    t.dispose();
    model.dispose();
  });

  it.each(['linear', 'cosine', 'constant_with_warmup'])('update k uses HF %s lr[k-1] (schedules.json, 20 updates, 5 warmup)', async (name) => {
    const ref = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/reference/vectors/schedules.json'), 'utf8'));
    const model = new TinyClassifier(modelConfig);
    const rec = lossRecorder();
    const t = new Trainer({
      model,
      args: { outputDir: outDir(), learningRate: ref.base_lr, warmupSteps: ref.warmup_steps, maxSteps: ref.total_steps, lrSchedulerType: name, saveStrategy: 'no' },
      trainDataLoader: tinyLoader({ n: 48, batchSize: 8, seed: 5 }),
      callbacks: [rec],
    });
    await t.train();
    const want: number[] = ref.schedules[name].lr.slice(0, 20);
    rec.lrs.forEach((lr, k) => expect(Math.abs(lr - want[k]!)).toBeLessThanOrEqual(1e-12 * Math.abs(want[k]!)));
    expect(rec.lrs.length).toBe(20);
    t.dispose();
    model.dispose();
  });
});
