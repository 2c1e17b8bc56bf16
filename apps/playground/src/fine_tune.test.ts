import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { loadModelFromBytes, toPretrainedBytes, type PretrainedBytes } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import type { ClassificationExample } from '@attn/data';
import { FineTuneError, NonFiniteLossError, fineTuneClassifier } from './fine_tune';

const modelDir = join(__dirname, '../../../models/attn-bert-tiny');
const examples: ClassificationExample[] = [
  ['a wonderful film', 'positive'],
  ['a terrible film', 'negative'],
  ['loved it', 'positive'],
  ['hated it', 'negative'],
].map(([text, label], i) => ({ text: text!, label, source: { file: '<test>', line: i + 2 } }));

describe('fineTuneClassifier', () => {
  let checkpoint: PretrainedBytes;
  let tokenizer: Tokenizer;

  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    checkpoint = { config: readFileSync(join(modelDir, 'config.json'), 'utf8'), safetensors: new Uint8Array(readFileSync(join(modelDir, 'model.safetensors'))) };
    tokenizer = Tokenizer.fromJSON(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8'));
  });

  it('trains a few steps and hands back the model; the optimizer state is freed', async () => {
    const before = tf.memory().numTensors;
    const r = await fineTuneClassifier(checkpoint, tokenizer, examples, { steps: 3, batchSize: 8, learningRate: 1e-3 });
    expect(r.losses).toHaveLength(3);
    expect(r.examples).toBe(12); // a batch is at most the 4 rows
    expect(r.model.config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports every step to the loss chart and honours the stop button between steps (the Trainer plus a callback)', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await fineTuneClassifier(checkpoint, tokenizer, examples, { steps: 6, batchSize: 2, onStep: (s) => seen.push(s), shouldStop: () => seen.length >= 2 });
    expect(seen).toEqual([1, 2]);
    expect(r.losses).toHaveLength(2);
    expect(r.stopped).toBe(true);
    expect(r.tensorCounts[1]).toBe(r.tensorCounts[0]);
    r.model.dispose();
    const none = await fineTuneClassifier(checkpoint, tokenizer, examples, { steps: 3, shouldStop: () => true });
    expect(none.losses).toEqual([]);
    expect(none.stopped).toBe(true);
    none.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [{ steps: 0 }, /Steps must be a whole number from 1 to 10000; got "0"/],
    [{ steps: 4, batchSize: 0 }, /Batch must be a whole number from 1 to 128; got "0"/],
    [{ steps: 4, learningRate: -1 }, /Learning rate must be above 0 and at most 1 .*; got "-1"/],
    [{ steps: 4, learningRate: 1e30 }, /Learning rate .*; got "1e\+30"/],
  ])('refuses %j before building a model', async (opts, message) => {
    const before = tf.memory().numTensors;
    await expect(fineTuneClassifier(checkpoint, tokenizer, examples, opts)).rejects.toThrow(message);
    await expect(fineTuneClassifier(checkpoint, tokenizer, examples, opts)).rejects.toBeInstanceOf(FineTuneError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a non-finite loss, throws, and leaves no model or optimizer tensor behind', async () => {
    // A checkpoint with a NaN weight (as an overflowed half-precision save has): the first loss is NaN.
    const model = loadModelFromBytes(checkpoint, { task: 'sequence-classification', seed: 0, quiet: true });
    const [, norm] = model.namedParameters().find(([n]) => n === 'bert.embeddings.LayerNorm.weight')!;
    tf.tidy(() => norm.assign(tf.fill(norm.shape, NaN)));
    const broken = toPretrainedBytes(model);
    model.dispose();
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const run = fineTuneClassifier(broken, tokenizer, examples, { steps: 4, learningRate: 1e-3, onStep: (s) => steps.push(s) });
    await expect(run).rejects.toBeInstanceOf(NonFiniteLossError);
    await expect(run).rejects.toThrow(/^The loss is NaN at step 1, before any update: the checkpoint holds a NaN or infinite weight\. Training stopped; the previous model is kept\.$/);
    expect(steps).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
