// The batch contract (issue #29): every @attn/data collator returns a typed batch that is the model's
// input as it is, so Trainer, collators and models connect without casts. The type checks below fail
// at `tsc` (the typecheck target includes tests); the run checks that the same wiring trains.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type DecoderInputs, type ModelInputs } from '@attn/models';
import {
  ArrayDataset,
  tokenClassificationCollator,
  type CausalLmBatch,
  type ClassificationBatch,
  type MaskedLmBatch,
  type QuestionAnsweringBatch,
  type TokenClassificationBatch,
  type TokenClassificationFeature,
} from '@attn/data';
import { Trainer } from '../src/index';

type Fits<B, I> = B extends I ? true : false;
const fits: [
  Fits<ClassificationBatch, ModelInputs>,
  Fits<TokenClassificationBatch, ModelInputs>,
  Fits<QuestionAnsweringBatch, ModelInputs>,
  Fits<MaskedLmBatch, ModelInputs>,
  Fits<CausalLmBatch, DecoderInputs>,
] = [true, true, true, true, true];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function features(n: number): TokenClassificationFeature[] {
  return Array.from({ length: n }, (_, i) => {
    const ids = [2, ...Array.from({ length: 3 + (i % 4) }, (_, k) => 5 + ((i * 7 + k * 3) % 40)), 3];
    return {
      inputIds: ids,
      attentionMask: ids.map(() => 1),
      tokenTypeIds: ids.map(() => 0),
      labels: ids.map((x, k) => (k === 0 || k === ids.length - 1 ? -100 : x % 3)),
      wordIds: ids.map((_, k) => (k === 0 || k === ids.length - 1 ? null : k - 1)),
    };
  });
}

describe('typed batches', () => {
  it('a collator, a model and the Trainer connect without casts; predictions hold the model outputs', async () => {
    expect(fits.every(Boolean)).toBe(true);
    const config = BertConfig.fromJSON({
      vocab_size: 48, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
      intermediate_size: 32, max_position_embeddings: 16, num_labels: 3,
    });
    const model = createModel('token-classification', config, { seed: 1 });
    const data = new ArrayDataset(features(12));
    const trainer = new Trainer({
      model,
      args: { outputDir: mkdtempSync(join(tmpdir(), 'attn-typed-')), maxSteps: 3, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 4, saveStrategy: 'no', loggingStrategy: 'no' },
      trainDataset: data,
      evalDataset: data,
      collator: tokenClassificationCollator({ padTokenId: 0 }),
    });
    const before = tf.memory().numTensors;
    const { globalStep } = await trainer.train();
    expect(globalStep).toBe(3);
    const out = await trainer.predict(trainer['evalLoader']!);
    expect(out.predictions.logits!.shape).toEqual([12, 8, 3]);
    expect(out.labelIds.labels!.shape).toEqual([12, 8]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
