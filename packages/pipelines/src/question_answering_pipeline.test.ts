import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type BertTaskModel, type ModelInputs } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { QuestionAnsweringPipeline } from './question_answering_pipeline';

const TOKENIZER = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json');

let tokenizer: Tokenizer;

/**
 * A stand-in model whose start logit is high on one token id and whose end logit is high on
 * another: the pipeline must find that span wherever it sits in a long context.
 */
function oracleModel(startId: number, endId: number, maxPositions = 512): BertTaskModel {
  return {
    config: { maxPositionEmbeddings: maxPositions },
    eval() {
      return this;
    },
    dispose() {},
    forward(inputs: ModelInputs) {
      return tf.tidy(() => {
        const ids = inputs.inputIds;
        return {
          startLogits: tf.mul(tf.cast(tf.equal(ids, startId), 'float32'), 8),
          endLogits: tf.mul(tf.cast(tf.equal(ids, endId), 'float32'), 8),
        };
      });
    },
  } as unknown as BertTaskModel;
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  tokenizer = await Tokenizer.fromFile(TOKENIZER);
});

const filler = (n: number) => Array.from({ length: n }, (_, i) => `The river flows past farm number ${i} in the valley.`).join(' ');

describe('QuestionAnsweringPipeline', () => {
  it('finds a span in a later window of a long context, with exact character offsets', () => {
    const context = `${filler(30)} The treasure is buried under the old oak tree. ${filler(10)}`;
    const startId = tokenizer.tokenToId('old')!;
    const endId = tokenizer.tokenToId('oak')!;
    const pipe = new QuestionAnsweringPipeline(oracleModel(startId, endId), tokenizer, { maxLength: 64, stride: 16 });
    expect(pipe.features([{ question: 'Where is the treasure?', context }]).length).toBeGreaterThan(5);
    const best = pipe.predict([{ question: 'Where is the treasure?', context }])[0]![0]!;
    expect(best.answer).toBe('old oak');
    expect(context.slice(best.start, best.end)).toBe('old oak');
    expect(best.start).toBe(context.indexOf('old oak'));
    expect(best.score).toBeGreaterThan(0.5);
  });

  it('returns topK distinct spans, best first, each a slice of the context', () => {
    const context = 'Alpha beta gamma delta epsilon zeta eta theta.';
    const pipe = new QuestionAnsweringPipeline(oracleModel(tokenizer.tokenToId('gamma')!, tokenizer.tokenToId('delta')!), tokenizer);
    const [answers] = pipe.predict([{ question: 'Which letters?', context }], { topK: 5 });
    expect(answers!.length).toBe(5);
    expect(answers![0]!.answer).toBe('gamma delta');
    for (let i = 1; i < answers!.length; i++) expect(answers![i]!.score).toBeLessThanOrEqual(answers![i - 1]!.score);
    expect(new Set(answers!.map((a) => `${a.start}:${a.end}`)).size).toBe(5);
    for (const a of answers!) expect(context.slice(a.start, a.end)).toBe(a.answer);
  });

  it('never answers from the question, and rejects empty input', () => {
    const context = 'Nothing here mentions the word.';
    // "where" appears only in the question: its logits must be ignored.
    const pipe = new QuestionAnsweringPipeline(oracleModel(tokenizer.tokenToId('where')!, tokenizer.tokenToId('where')!), tokenizer);
    const best = pipe.predict([{ question: 'where where where?', context }])[0]![0]!;
    expect(context.includes(best.answer)).toBe(true);
    expect(() => pipe.predict([{ question: ' ', context }])).toThrow(/question is empty/);
  });

  it('runs a real BertForQuestionAnswering without leaking tensors', () => {
    const config = BertConfig.fromJSON({ vocab_size: tokenizer.getVocabSize(true), hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 128 });
    const model = createModel('question-answering', config, { seed: 3 });
    try {
      const pipe = new QuestionAnsweringPipeline(model, tokenizer, { maxLength: 48, stride: 12 });
      const input = { question: 'What flows?', context: filler(6) };
      pipe.predict([input], { topK: 3 });
      const before = tf.memory().numTensors;
      const [answers] = pipe.predict([input], { topK: 3 });
      expect(tf.memory().numTensors).toBe(before);
      expect(answers!.length).toBe(3);
      for (const a of answers!) {
        expect(input.context.slice(a.start, a.end)).toBe(a.answer);
        expect(a.score).toBeGreaterThan(0);
        expect(a.score).toBeLessThanOrEqual(1);
      }
    } finally {
      model.dispose();
    }
  });
});

