import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { QuestionAnsweringPipeline } from '@attn/pipelines';
import { createServer } from './create_server';
import { questionAnsweringPredictor } from './question_answering_predictor';

const VOCAB = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/vocab.txt');
const inputs = [
  { question: 'Where did Merkel go?', context: 'Angela Merkel visited Washington on Tuesday and met the president.' },
  { question: 'What is the capital?', context: 'Ouagadougou is the capital of Burkina Faso.' },
];

let pipe: QuestionAnsweringPipeline;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const tokenizer = await Tokenizer.fromVocabFile(VOCAB, { lowercase: true });
  const config = BertConfig.fromJSON({
    vocab_size: tokenizer.getVocabSize(true),
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 128,
  });
  pipe = new QuestionAnsweringPipeline(createModel('question-answering', config, { seed: 5 }), tokenizer, { maxLength: 64, stride: 16 });
});

afterAll(() => pipe?.dispose());

describe('questionAnsweringPredictor', () => {
  it('answers {answer, start, end, score} exactly as the pipeline predicts (= attn-qa predict --json)', async () => {
    const server = createServer(questionAnsweringPredictor(pipe));
    try {
      const expected = pipe.predict(inputs).map((a) => a[0]);
      const batch = await server.app.inject({ method: 'POST', url: '/predict', payload: { inputs } });
      expect(batch.statusCode).toBe(200);
      expect(batch.json()).toEqual(expected);
      const one = (await server.app.inject({ method: 'POST', url: '/predict', payload: inputs[1] })).json();
      expect(one).toEqual(expected[1]);
      expect(inputs[1]!.context.slice(one.start, one.end)).toBe(one.answer);
    } finally {
      await server.close();
    }
  });

  it('answers an array of the topK best spans when topK > 1, without leaking tensors', async () => {
    const server = createServer(questionAnsweringPredictor(pipe, { topK: 3 }));
    try {
      const before = tf.memory().numTensors;
      const one = (await server.app.inject({ method: 'POST', url: '/predict', payload: inputs[0] })).json();
      expect(one).toEqual(pipe.predict([inputs[0]!], { topK: 3 })[0]);
      expect(one).toHaveLength(3);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await server.close();
    }
  });
});
