// Numerical faults end to end: a real BERT trained with lr 1e30 blows up within a few updates.
// Training must stop with NonFiniteLossError naming the update and the last good checkpoint,
// that checkpoint must still hold finite weights that load, nothing may be saved after the
// fault, and no tensor may leak on the error path.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { NonFiniteLossError, Trainer, loadModelWeights } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function features(n: number): ClassificationFeature[] {
  return Array.from({ length: n }, (_, i) => {
    const ids = [101, ...Array.from({ length: 3 + (i % 6) }, (_, k) => 5 + ((i * 11 + k * 5) % 100)), 102];
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: i % 2 };
  });
}

const config = () =>
  BertConfig.fromJSON({
    vocab_size: 128, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
    intermediate_size: 32, max_position_embeddings: 32, num_labels: 2,
  });

describe('NaN / Inf loss', () => {
  it('lr 1e30: stops with NonFiniteLossError, keeps the last good checkpoint, leaks nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-nan-'));
    const model = createModel('sequence-classification', config(), { seed: 5 });
    const trainer = new Trainer({
      model,
      // SGD without clipping: the first update multiplies the weights by ~1e30, the next loss is Inf/NaN.
      args: { outputDir: dir, optim: 'sgd', learningRate: 1e30, maxSteps: 20, saveStrategy: 'steps', saveSteps: 1, loggingSteps: 1000, seed: 2 },
      trainDataLoader: new DataLoader(new ArrayDataset(features(40)), { batchSize: 4, shuffle: false, collate: classificationCollator({ padTokenId: 0 }) }),
    });
    const before = tf.memory().numTensors;
    const err = await trainer.train().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e.step).toBeGreaterThan(1);
    expect(e.step).toBeLessThan(20);
    expect(e.message).toMatch(/loss became (NaN|Infinity|-Infinity) at update \d+/);
    expect(e.lastGoodCheckpoint).toBe(join(dir, `checkpoint-${e.step - 1}`));
    expect(e.message).toContain(e.lastGoodCheckpoint!);
    // Nothing saved at or after the faulty update; no staging directory left behind.
    const entries = readdirSync(dir);
    const steps = entries.filter((n) => n.startsWith('checkpoint-')).map((n) => Number(n.slice('checkpoint-'.length)));
    expect(Math.max(...steps)).toBe(e.step - 1);
    expect(entries.filter((n) => n.startsWith('.'))).toEqual([]);
    // The error path disposed the gradients and the batch (plain SGD keeps no slots).
    expect(tf.memory().numTensors).toBe(before);

    // The kept checkpoint loads into a fresh model.
    const fresh = createModel('sequence-classification', config(), { seed: 9 });
    await loadModelWeights(fresh, e.lastGoodCheckpoint!);
    const w = fresh.namedParameters().find(([n]) => n === 'classifier.weight')![1];
    const live = model.namedParameters().find(([n]) => n === 'classifier.weight')![1];
    expect(w.shape).toEqual(live.shape);
    trainer.dispose();
    model.dispose();
    fresh.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
