import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type TaskModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TextClassificationPipeline } from './text_classification_pipeline';
import { TokenClassificationPipeline } from './token_classification_pipeline';
import { QuestionAnsweringPipeline } from './question_answering_pipeline';
import { readAsync, readSync, type ReadSteps } from './read_back';

const TOKENIZER = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json');
const context = 'Angela Merkel met Emmanuel Macron in Paris on behalf of the European Union. '.repeat(6);

let tokenizer: Tokenizer;
const models: Partial<Record<'cls' | 'ner' | 'qa', TaskModel>> = {};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  tokenizer = await Tokenizer.fromFile(TOKENIZER);
  const config = (numLabels: number) =>
    BertConfig.fromJSON({
      vocab_size: tokenizer.getVocabSize(true),
      hidden_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 64,
      id2label: Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `L${i}`])),
    });
  models.cls = createModel('sequence-classification', config(3), { seed: 1 });
  models.ner = createModel('token-classification', config(5), { seed: 2 });
  models.qa = createModel('question-answering', config(2), { seed: 3 });
});

afterAll(() => Object.values(models).forEach((m) => m.dispose()));

// The async methods exist for webgpu; on wasm they must give exactly what the sync ones give, and free the same.
describe('pipelines read back asynchronously with the same results', () => {
  it('text classification', async () => {
    const pipe = new TextClassificationPipeline(models.cls!, tokenizer, { batchSize: 2, onWarning: () => {} });
    const texts = ['a fine film', 'dull', ['a question', 'its answer'] as [string, string]];
    const before = tf.memory().numTensors;
    const got = await pipe.predictAsync(texts);
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toEqual(pipe.predict(texts));
  });

  it('token classification over several windows', async () => {
    const pipe = new TokenClassificationPipeline(models.ner!, tokenizer, { ignoreLabels: [], maxLength: 32, stride: 8, batchSize: 2 });
    const before = tf.memory().numTensors;
    const got = await pipe.predictAsync([context, 'Paris']);
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toEqual(pipe.predict([context, 'Paris']));
    expect(got[0]!.length).toBeGreaterThan(0);
  });

  it('question answering over several windows', async () => {
    const pipe = new QuestionAnsweringPipeline(models.qa!, tokenizer, { maxLength: 40, stride: 10, batchSize: 2 });
    const inputs = [{ question: 'Who met Macron?', context }];
    const before = tf.memory().numTensors;
    const got = await pipe.predictAsync(inputs, { topK: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toEqual(pipe.predict(inputs, { topK: 3 }));
    expect(got[0]).toHaveLength(3);
  });

  it('a read that throws still runs the steps’ cleanup, sync and async', async () => {
    const built: tf.Tensor[] = [];
    function* steps(): ReadSteps<number> {
      const kept = tf.ones([2]);
      const gone = tf.ones([2]);
      built.push(kept, gone);
      gone.dispose(); // reading a disposed tensor throws, as a read on a lost device does
      try {
        const [v] = yield [gone];
        return v![0]!;
      } finally {
        kept.dispose();
      }
    }
    const before = tf.memory().numTensors;
    expect(() => readSync(steps())).toThrow(/disposed/);
    await expect(readAsync(steps())).rejects.toThrow(/disposed/);
    expect(built.every((t) => t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
