// Every file the Trainer writes for checkpoints (model, optimizer state, schedule, RNG, trainer state, arguments)
// and for the saved model goes through @attn/tensor's durable writer: content flushed under a temporary name,
// renamed into place, directory flushed after; checkpoint directories renamed into place with their parent flushed.
// log.jsonl is appended line by line (not flushed per line, by design); its rewrite on resume is durable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@attn/tensor';
import { auditDurableWrites } from '@attn/tensor/testing';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { JsonlLoggerCallback, Trainer, resolveTrainingArguments } from '../src/index';
import { freshControl } from '../src/callbacks/callback';
import { initialTrainerState } from '../src/trainer_state';

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

  it("log.jsonl's rewrite on resume (the crashed run's later lines dropped) replaces the file durably", async () => {
    const runDir = join(dir, 'resumed-run');
    mkdirSync(runDir);
    const file = join(runDir, 'log.jsonl');
    writeFileSync(file, [1, 2, 3].map((step) => JSON.stringify({ loss: 1 / step, step }) + '\n').join(''));
    const model = createModel('sequence-classification', BertConfig.fromJSON({ vocab_size: 8, hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: 4, max_position_embeddings: 4, num_labels: 2 }));
    const ctx = { args: resolveTrainingArguments({ outputDir: runDir }), state: { ...initialTrainerState(), globalStep: 2 }, control: freshControl(), model };
    const report = await auditDurableWrites(runDir, async () => new JsonlLoggerCallback().onTrainBegin(ctx));
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2]);
    expect(report).toEqual({ files: ['log.jsonl'], notDurable: [] });
    model.dispose();
  });
});
