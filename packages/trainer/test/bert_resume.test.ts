// Exact resume with a real BERT (dropout on, AdamW, warmup + linear decay, accumulation 2,
// clipping): 2N updates in one run equal N updates, a checkpoint, and N more in a fresh process
// state (new model object, new Trainer), loss for loss, bit for bit.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationBatch, type ClassificationFeature } from '@attn/data';
import { Trainer, type TrainerCallback, type TrainingArgumentsInput } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function features(n: number): ClassificationFeature[] {
  let s = 777;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const ids = [101, ...Array.from({ length: 3 + Math.floor(rand() * 9) }, () => 5 + Math.floor(rand() * 120)), 102];
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: rand() < 0.5 ? 1 : 0 };
  });
}

const config = () =>
  BertConfig.fromJSON({
    vocab_size: 128, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2,
    intermediate_size: 32, max_position_embeddings: 32, num_labels: 2,
  });

function loader(): DataLoader<ClassificationFeature, ClassificationBatch> {
  return new DataLoader(new ArrayDataset(features(40)), { batchSize: 4, shuffle: true, seed: 9, collate: classificationCollator({ padTokenId: 0 }) });
}

function recorder(): TrainerCallback & { losses: number[] } {
  const r = { losses: [] as number[], onStepEnd: (ctx: { loss?: number }) => void r.losses.push(ctx.loss!) };
  return r;
}

describe('resume with a real BERT', () => {
  it('N + resume N equals 2N exactly (crossing an epoch boundary)', async () => {
    // 10 batches per epoch, accumulation 2 → 5 updates per epoch; N = 7 stops inside epoch 2.
    const N = 7;
    const args = (dir: string): TrainingArgumentsInput => ({
      outputDir: dir, learningRate: 5e-3, warmupSteps: 3, weightDecay: 0.01, maxSteps: 2 * N,
      gradientAccumulationSteps: 2, maxGradNorm: 0.5, loggingSteps: 5, saveStrategy: 'no', seed: 4,
    });
    // Weights come from the global generator (no per-model seed), which the trainer seeds and checkpoints.
    const whole = recorder();
    const modelA = createModel('sequence-classification', config());
    const initial = Object.fromEntries(modelA.namedParameters().map(([n, v]) => [n, tf.clone(v)]));
    const a = new Trainer({ model: modelA, args: args(mkdtempSync(join(tmpdir(), 'attn-bres-a-'))), trainDataLoader: loader(), callbacks: [whole] });
    await a.train();

    const dir = mkdtempSync(join(tmpdir(), 'attn-bres-b-'));
    const first = recorder();
    const modelB = createModel('sequence-classification', config());
    modelB.loadStateDict(initial);
    const b = new Trainer({
      model: modelB,
      args: { ...args(dir), saveStrategy: 'steps', saveSteps: N },
      trainDataLoader: loader(),
      callbacks: [first, { onSave: (ctx) => void (ctx.control.shouldStop = true) }],
    });
    await b.train();
    const second = recorder();
    const modelC = createModel('sequence-classification', config());
    const c = new Trainer({ model: modelC, args: args(dir), trainDataLoader: loader(), callbacks: [second] });
    await c.train({ resumeFromCheckpoint: join(dir, `checkpoint-${N}`) });

    expect(first.losses.length).toBe(N);
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    const w = (m: typeof modelA) => [...m.namedParameters().find(([n]) => n === 'classifier.weight')![1].dataSync()];
    expect(w(modelC)).toEqual(w(modelA));
    tf.dispose(Object.values(initial));
    [a, b, c].forEach((t) => t.dispose());
    [modelA, modelB, modelC].forEach((m) => m.dispose());
  });
});
