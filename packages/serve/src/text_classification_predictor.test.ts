import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, BertForSequenceClassification } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TextClassificationPipeline } from '@attn/pipelines';
import { createServer, type PredictionServer } from './create_server';
import { textClassificationPredictor, type TextClassificationOutput } from './text_classification_predictor';

const VOCAB = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/vocab.txt');
const labels = ['negative', 'neutral', 'positive'];
const texts = [
  'a gripping, beautifully shot film',
  'the plot never goes anywhere.',
  'It is a movie.',
  'Unbelievably dull; I left halfway through and asked for a refund!',
  'ok',
];

let pipe: TextClassificationPipeline;
let server: PredictionServer;
let url: string;

async function predict(body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const tokenizer = await Tokenizer.fromVocabFile(VOCAB, { lowercase: true });
  const config = BertConfig.preset('bert-tiny', {
    num_hidden_layers: 1,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  });
  pipe = new TextClassificationPipeline(new BertForSequenceClassification(config, { seed: 3 }), tokenizer);
  server = createServer(textClassificationPredictor(pipe), { batchWindowMs: 5, maxBatchSize: 32 });
  ({ url } = await server.listen());
});

afterAll(async () => {
  await server?.close();
  pipe?.dispose();
});

/** What `attn-classify predict --json` prints for each text. */
function predictJsonLines(xs: string[]): TextClassificationOutput[] {
  return pipe.predict(xs).map((r, i) => ({ text: xs[i]!, label: r.label, score: r.score, scores: r.scores }));
}

describe('textClassificationPredictor served over HTTP (random bert-tiny, 1 layer)', () => {
  it('answers a batch exactly as the pipeline predicts it (same JSON as predict --json)', async () => {
    const res = await predict({ inputs: texts });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(predictJsonLines(texts));
    // A random head still gives a proper distribution over the config's labels.
    const first = (res.json as TextClassificationOutput[])[0]!;
    expect(first.scores.map((s) => s.label)).toEqual(labels);
    expect(first.scores.reduce((a, s) => a + s.score, 0)).toBeCloseTo(1, 5);
  });

  it('answers one text with one object', async () => {
    const res = await predict({ text: texts[1] });
    expect(res.json).toEqual(predictJsonLines([texts[1]!])[0]);
  });

  it('answers concurrent requests, merged into shared batches, with each text\'s own prediction', async () => {
    const before = server.stats();
    const answers = await Promise.all(texts.flatMap((t) => [predict({ text: t }), predict({ inputs: [t, t] })]));
    const expected = predictJsonLines(texts);
    answers.forEach((a, k) => {
      const want = expected[Math.floor(k / 2)]!;
      const got = (k % 2 === 0 ? [a.json] : a.json) as TextClassificationOutput[];
      for (const g of got) {
        expect(g.label).toBe(want.label);
        // Padding to a longer neighbour in the batch changes float rounding, nothing more.
        g.scores.forEach((s, j) => expect(s.score).toBeCloseTo(want.scores[j]!.score, 5));
      }
    });
    const after = server.stats();
    expect(after.batches - before.batches).toBeLessThan(answers.length);
  });

  it('GET /model reports labels, parameter count, backend and config', async () => {
    const info = (await (await fetch(`${url}/model`)).json()) as Record<string, unknown>;
    const params = pipe.model.parameters().reduce((n, p) => n + p.size, 0);
    expect(info).toMatchObject({ task: 'text-classification', labels, parameterCount: params, backend: 'wasm' });
    expect(info.config).toMatchObject({ num_hidden_layers: 1, hidden_size: 128, id2label: { 0: 'negative', 1: 'neutral', 2: 'positive' } });
  });

  it('leaks no tensor over 1,000 requests, bad ones included', async () => {
    const before = tf.memory().numTensors;
    let ok = 0;
    let rejected = 0;
    for (let round = 0; round < 20; round++) {
      const burst = await Promise.all(
        Array.from({ length: 50 }, (_, i) => predict(i === 49 ? { text: 7 } : i % 10 === 0 ? { inputs: [texts[i % 5], texts[(i + 1) % 5]] } : { text: texts[i % 5] })),
      );
      for (const r of burst) r.status === 200 ? ok++ : rejected++;
    }
    expect(ok).toBe(980);
    expect(rejected).toBe(20);
    expect(tf.memory().numTensors).toBe(before);
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, number>;
    expect(health.numTensors).toBe(before);
    expect(health.rssBytes).toBeGreaterThan(0);
  });
});
