// A real (very small) BERT through the Trainer for 100 updates: tf.memory().numTensors after
// update 100 equals the count after update 1 (nothing leaks per step: grads, clipping,
// accumulation, optimizer slots, dropout masks, batches), and the loss falls.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { Trainer } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Label 1 when token 7 occurs: learnable in a few dozen updates. */
function features(n: number): ClassificationFeature[] {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const len = 4 + Math.floor(rand() * 8);
    const ids = [101, ...Array.from({ length: len }, () => 10 + Math.floor(rand() * 80)), 102];
    const label = rand() < 0.5 ? 1 : 0;
    if (label) ids[1 + Math.floor(rand() * len)] = 7;
    else for (let i = 0; i < ids.length; i++) if (ids[i] === 7) ids[i] = 8;
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label };
  });
}

describe('BERT through the Trainer', () => {
  it('numTensors after update 100 equals numTensors after update 1', async () => {
    const config = BertConfig.fromJSON({
      vocab_size: 128, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
      intermediate_size: 32, max_position_embeddings: 32, num_labels: 2,
    });
    const model = createModel('sequence-classification', config, { seed: 1 });
    const collate = classificationCollator({ padTokenId: 0 });
    const counts: number[] = [];
    const losses: number[] = [];
    const trainer = new Trainer({
      model,
      args: {
        outputDir: mkdtempSync(join(tmpdir(), 'attn-bertmem-')),
        learningRate: 3e-3, warmupSteps: 10, weightDecay: 0.01, maxSteps: 100,
        gradientAccumulationSteps: 2, loggingSteps: 25, saveStrategy: 'no', seed: 3,
      },
      trainDataLoader: new DataLoader(new ArrayDataset(features(64)), { batchSize: 8, shuffle: true, seed: 3, collate }),
      callbacks: [{ onStepEnd: (ctx) => { counts.push(tf.memory().numTensors); losses.push(ctx.loss!); } }],
    });
    await trainer.train();
    expect(counts.length).toBe(100);
    expect(counts[99]).toBe(counts[0]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)));
    trainer.dispose();
    model.dispose();
  });
});
