// TrainingArguments.gradientCheckpointing through the Trainer: a small BERT (dropout on) and a small GPT-2 train to
// the same per-update losses with and without it, the flag reaches the model, and nothing leaks per update.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, GPT2Config, createModel, type PreTrainedModel } from '@attn/models';
import { ArrayDataset, DataLoader, classificationCollator, type ClassificationFeature } from '@attn/data';
import { Trainer, TrainingArgumentsError } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function features(n: number): ClassificationFeature[] {
  let s = 99;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const ids = [1, ...Array.from({ length: 3 + Math.floor(rand() * 9) }, () => 3 + Math.floor(rand() * 40)), 2];
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: rand() < 0.5 ? 1 : 0 };
  });
}

async function train(model: PreTrainedModel, gradientCheckpointing: boolean): Promise<{ losses: number[]; counts: number[] }> {
  const losses: number[] = [];
  const counts: number[] = [];
  const trainer = new Trainer({
    model,
    args: {
      outputDir: mkdtempSync(join(tmpdir(), 'attn-gradckpt-')),
      learningRate: 1e-2, warmupSteps: 1, weightDecay: 0.01, maxSteps: 6, loggingSteps: 3, saveStrategy: 'no', seed: 4, gradientCheckpointing,
    },
    trainDataLoader: new DataLoader(new ArrayDataset(features(48)), { batchSize: 8, shuffle: true, seed: 4, collate: classificationCollator({ padTokenId: 0 }) }),
    callbacks: [{ onStepEnd: (ctx) => { losses.push(ctx.loss!); counts.push(tf.memory().numTensors); } }],
  });
  await trainer.train();
  trainer.dispose();
  expect(model.isGradientCheckpointing).toBe(gradientCheckpointing);
  model.dispose();
  return { losses, counts };
}

const models: Array<[string, () => PreTrainedModel]> = [
  ['bert', () => createModel('sequence-classification', BertConfig.fromJSON({
    vocab_size: 64, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32,
    max_position_embeddings: 32, num_labels: 2, hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0.2,
  }), { seed: 2 })],
  ['gpt2', () => createModel('sequence-classification', GPT2Config.fromJSON({
    vocab_size: 64, n_embd: 16, n_layer: 2, n_head: 2, n_positions: 32, num_labels: 2, pad_token_id: 0,
    resid_pdrop: 0.2, embd_pdrop: 0.2, attn_pdrop: 0.2,
  }), { seed: 2 })],
];

describe('TrainingArguments.gradientCheckpointing', () => {
  it.each(models)('%s: the same losses update by update as without it; numTensors stable', async (_, make) => {
    const plain = await train(make(), false);
    const ckpt = await train(make(), true);
    expect(ckpt.losses.length).toBe(6);
    for (let i = 0; i < 6; i++) expect(Math.abs(ckpt.losses[i]! - plain.losses[i]!)).toBeLessThan(1e-5);
    expect(new Set(ckpt.counts).size).toBe(1);
  });

  it('is checked: a model without gradientCheckpointingEnable, or a non-boolean', async () => {
    const real = createModel('sequence-classification', BertConfig.fromJSON({ vocab_size: 8, hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: 4 }));
    // Own fields only: the prototype's methods (gradientCheckpointingEnable among them) are gone.
    const model = { ...real, trainableParameters: () => real.trainableParameters(), namedParameters: () => real.namedParameters(), train: () => real, eval: () => real };
    expect(() => new Trainer({ model: model as never, args: { outputDir: 'x', gradientCheckpointing: 1 as never } })).toThrow(/gradientCheckpointing must be true or false/);
    const trainer = new Trainer({
      model: { ...model, gradientCheckpointingEnable: undefined } as never,
      args: { outputDir: mkdtempSync(join(tmpdir(), 'attn-gradckpt-')), gradientCheckpointing: true, maxSteps: 1, saveStrategy: 'no' },
      trainDataLoader: new DataLoader(new ArrayDataset(features(8)), { batchSize: 8, collate: classificationCollator({ padTokenId: 0 }) }),
    });
    await expect(trainer.train()).rejects.toThrow(TrainingArgumentsError);
    await expect(trainer.train()).rejects.toThrow(/no gradientCheckpointingEnable/);
    trainer.dispose();
    real.dispose();
  });
});
