// Every file the Trainer writes for checkpoints (model, optimizer state, schedule, RNG, trainer state, arguments)
// and for the saved model goes through @attn/tensor's durable writer: content flushed under a temporary name,
// renamed into place, directory flushed after; checkpoint directories renamed into place with their parent flushed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@attn/tensor';
import { auditDurableWrites } from '@attn/tensor/testing';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { Trainer } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'attn-flush-'));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const features: ClassificationFeature[] = Array.from({ length: 8 }, (_, i) => {
  const ids = [1, 5 + i, 6 + 2 * i, 2];
  return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: i % 2 };
});

describe('flush everywhere', () => {
  it('checkpoints and the saved model: every file flushed and renamed into place, every directory flushed', async () => {
    const model = createModel(
      'sequence-classification',
      BertConfig.fromJSON({ vocab_size: 64, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16, num_labels: 2 }),
    );
    const trainDataLoader = new DataLoader(new ArrayDataset(features), { batchSize: 4, shuffle: false, collate: classificationCollator({ padTokenId: 0 }) });
    const trainer = new Trainer({
      model,
      args: { outputDir: dir, learningRate: 1e-3, maxSteps: 2, saveStrategy: 'steps', saveSteps: 1, loggingSteps: 1, seed: 1, warmupSteps: 1 },
      trainDataLoader,
    });
    const report = await auditDurableWrites(dir, async () => {
      await trainer.train();
      await trainer.saveModel(join(dir, 'final'));
      await trainer.saveModel(join(dir, 'final')); // over an existing save
    });
    const checkpointFiles = ['config.json', 'model.safetensors', 'optimizer.json', 'optimizer.safetensors', 'rng_state.json', 'scheduler.json', 'trainer_state.json', 'training_args.json'];
    expect(report.files).toEqual(expect.arrayContaining([...checkpointFiles.map((f) => `checkpoint-2/${f}`), 'final/config.json', 'final/model.safetensors']));
    expect(report.notDurable).toEqual([]);
    trainer.dispose();
    model.dispose();
  });
});
