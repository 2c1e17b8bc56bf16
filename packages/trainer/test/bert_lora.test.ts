// LoRA-only training of a real BERT: only the adapters (and the head, when asked) change; the
// frozen base weights stay bit-identical; a checkpoint holds the adapters and reloads them.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { BertConfig, createModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { Trainer, freezeStrategy, loadModelWeights } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function features(n: number): ClassificationFeature[] {
  return Array.from({ length: n }, (_, i) => {
    const ids = [101, ...Array.from({ length: 4 + (i % 5) }, (_, k) => 5 + ((i * 13 + k * 7) % 100)), 102];
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: i % 2 };
  });
}

describe('LoRA-only training', () => {
  it('updates adapters and head only; checkpoints carry the adapters', async () => {
    const config = BertConfig.fromJSON({
      vocab_size: 128, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2,
      intermediate_size: 32, max_position_embeddings: 32, num_labels: 2,
    });
    const model = createModel('sequence-classification', config, { seed: 2 });
    applyLoRA(model, { rank: 2, targetModules: ['query', 'value'] });
    const trainable = freezeStrategy(model, { loraOnly: true, trainHead: true });
    expect(trainable).toContain('bert.encoder.layer.0.attention.self.query.lora_B.weight');
    expect(trainable).toContain('classifier.weight');
    expect(trainable.every((n) => n.includes('lora_') || n.startsWith('classifier.'))).toBe(true);
    const before = Object.fromEntries(model.namedParameters().map(([n, v]) => [n, [...v.dataSync()]]));

    const dir = mkdtempSync(join(tmpdir(), 'attn-lora-'));
    const trainer = new Trainer({
      model,
      args: { outputDir: dir, learningRate: 1e-2, maxSteps: 6, saveStrategy: 'steps', saveSteps: 6, seed: 1 },
      trainDataLoader: new DataLoader(new ArrayDataset(features(24)), { batchSize: 4, shuffle: true, seed: 1, collate: classificationCollator({ padTokenId: 0 }) }),
    });
    await trainer.train();
    for (const [n, v] of model.namedParameters()) {
      const changed = [...v.dataSync()].some((x, i) => x !== before[n]![i]);
      // lora_A receives no gradient while lora_B is still 0 at the first step, but moves afterwards.
      expect(changed, n).toBe(trainable.includes(n));
    }
    // The checkpoint's model.safetensors reloads the adapters into a fresh adapted model.
    const fresh = createModel('sequence-classification', config, { seed: 99 });
    applyLoRA(fresh, { rank: 2, targetModules: ['query', 'value'] });
    await loadModelWeights(fresh, join(dir, 'checkpoint-6'));
    const name = 'bert.encoder.layer.1.attention.self.value.lora_B.weight';
    const get = (m: typeof model) => [...m.namedParameters().find(([n]) => n === name)![1].dataSync()];
    expect(get(fresh)).toEqual(get(model));
    trainer.dispose();
    model.dispose();
    fresh.dispose();
  });
});
