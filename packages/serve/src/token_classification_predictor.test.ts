import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TokenClassificationPipeline } from '@attn/pipelines';
import { createServer, type PredictionServer } from './create_server';
import { tokenClassificationPredictor } from './token_classification_predictor';

const VOCAB = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-cased/vocab.txt');
const labels = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const texts = ['Angela Merkel visited Washington on Tuesday.', 'Ouagadougou is the capital of Burkina Faso.'];

let pipe: TokenClassificationPipeline;
let server: PredictionServer;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const tokenizer = await Tokenizer.fromVocabFile(VOCAB, { lowercase: false });
  const config = BertConfig.fromJSON({
    vocab_size: tokenizer.getVocabSize(true),
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 64,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  });
  // No ignored labels, so a random model still returns entities to compare.
  pipe = new TokenClassificationPipeline(createModel('token-classification', config, { seed: 7 }), tokenizer, { ignoreLabels: [] });
  server = createServer(tokenClassificationPredictor(pipe));
});

afterAll(async () => {
  await server?.close();
  pipe?.dispose();
});

describe('tokenClassificationPredictor', () => {
  it('answers {text, entities} exactly as the pipeline predicts (= attn-ner predict --json), one or a batch', async () => {
    const expected = pipe.predict(texts).map((entities, i) => ({ text: texts[i], entities }));
    expect(expected[0]!.entities.length).toBeGreaterThan(0);
    const batch = await server.app.inject({ method: 'POST', url: '/predict', payload: { inputs: texts } });
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toEqual(expected);
    const one = await server.app.inject({ method: 'POST', url: '/predict', payload: { text: texts[1] } });
    expect(one.json()).toEqual(expected[1]);
  });

  it('rejects text_pair (not a token-classification input) and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const res = await server.app.inject({ method: 'POST', url: '/predict', payload: { text: 'a', text_pair: 'b' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/unknown field "text_pair"/);
    await Promise.all(Array.from({ length: 20 }, () => server.app.inject({ method: 'POST', url: '/predict', payload: { text: texts[0] } })));
    expect(tf.memory().numTensors).toBe(before);
    const info = (await server.app.inject({ url: '/model' })).json();
    expect(info).toMatchObject({ task: 'token-classification', labels, backend: 'wasm', aggregationStrategy: 'simple' });
  });
});
