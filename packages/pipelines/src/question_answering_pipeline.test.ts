import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type BertTaskModel, type ModelInputs } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { QuestionAnsweringPipeline } from './question_answering_pipeline';

const TOKENIZER = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json');

let tokenizer: Tokenizer;

type Logits = { startLogits: tf.Tensor; endLogits: tf.Tensor };

/** A stand-in QA model: `config` as its config.json would give it, `logits` run inside tidy. */
function stubModel(config: Record<string, unknown>, logits: (inputs: ModelInputs) => Logits): BertTaskModel {
  return {
    config,
    eval() {
      return this;
    },
    dispose() {},
    forward: (inputs: ModelInputs) => tf.tidy(() => logits(inputs)),
  } as unknown as BertTaskModel;
}

/** 8 where the ids equal `id`, else 0. */
const peak = (ids: tf.Tensor, id: number, height = 8) => tf.mul(tf.cast(tf.equal(ids, id), 'float32'), height);

/**
 * A stand-in model whose start logit is high on one token id and whose end logit is high on
 * another: the pipeline must find that span wherever it sits in a long context.
 */
function oracleModel(startId: number, endId: number, maxPositions = 512): BertTaskModel {
  return stubModel({ maxPositionEmbeddings: maxPositions }, ({ inputIds }) => ({ startLogits: peak(inputIds, startId), endLogits: peak(inputIds, endId) }));
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  tokenizer = await Tokenizer.fromFile(TOKENIZER);
});

const filler = (n: number) => Array.from({ length: n }, (_, i) => `The river flows past farm number ${i} in the valley.`).join(' ');

/** A stand-in model trained with the question-match type: its start and end logits are high where the type is 2. */
function matchModel(extra: Record<string, unknown>): BertTaskModel {
  return stubModel({ maxPositionEmbeddings: 512, typeVocabSize: 3, extra }, ({ tokenTypeIds }) => ({ startLogits: peak(tokenTypeIds!, 2), endLogits: peak(tokenTypeIds!, 2) }));
}

/** Logits 5 on one token id and 3 on another, start and end alike; config.json's task_specific_params as given. */
function twoPeakModel(high: number, low: number, extra: Record<string, unknown>): BertTaskModel {
  const logits = (ids: tf.Tensor) => tf.add(peak(ids, high, 5), peak(ids, low, 3));
  return stubModel({ maxPositionEmbeddings: 512, extra }, ({ inputIds }) => ({ startLogits: logits(inputIds), endLogits: logits(inputIds) }));
}

describe('QuestionAnsweringPipeline', () => {
  it("applies the model's sentence prior (task_specific_params), which the sentencePrior option overrides", () => {
    const context = 'Paris is the capital of France. The Eiffel Tower was completed in 1889.';
    const input = [{ question: 'When was the Eiffel Tower completed?', context }];
    const extra = { task_specific_params: { 'question-answering': { sentence_prior: 8 } } };
    const model = twoPeakModel(tokenizer.tokenToId('paris')!, tokenizer.tokenToId('1889')!, extra);
    const before = tf.memory().numTensors;
    const withPrior = new QuestionAnsweringPipeline(model, tokenizer);
    expect(withPrior.sentencePrior).toBe(8);
    expect(withPrior.predict(input)[0]![0]!.answer).toBe('1889');
    expect(new QuestionAnsweringPipeline(model, tokenizer, { sentencePrior: 0 }).predict(input)[0]![0]!.answer).toBe('Paris');
    expect(new QuestionAnsweringPipeline(twoPeakModel(tokenizer.tokenToId('paris')!, tokenizer.tokenToId('1889')!, {}), tokenizer).predict(input)[0]![0]!.answer).toBe('Paris');
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new QuestionAnsweringPipeline(model, tokenizer, { sentencePrior: -1 })).toThrow('sentencePrior must be a non-negative number, got -1.');
  });

  it("gives a model trained with question_match_type_id the context tokens that occur in the question as that type", () => {
    const context = 'The treasure is buried under the old oak tree by the river.';
    const before = tf.memory().numTensors;
    const pipe = new QuestionAnsweringPipeline(matchModel({ question_match_type_id: 2 }), tokenizer);
    const [answers] = pipe.predict([{ question: 'Which tree hides the treasure?', context }], { topK: 4 });
    // The two marked tokens, and the span between them, share all the probability.
    expect(answers!.slice(0, 3).map((a) => a.answer).sort()).toEqual(['treasure', 'treasure is buried under the old oak tree', 'tree']);
    expect(answers![3]?.score ?? 0).toBeLessThan(1e-3);
    expect(tf.memory().numTensors).toBe(before);
    // Without the field the windows keep their 0 / 1 segment ids: no token stands out.
    const plain = new QuestionAnsweringPipeline(matchModel({}), tokenizer);
    expect(plain.features([{ question: 'Which tree?', context }])[0]!.tokenTypeIds.every((t) => t < 2)).toBe(true);
    expect(() => new QuestionAnsweringPipeline(matchModel({ question_match_type_id: 3 }), tokenizer)).toThrow(
      'config.json: field "question_match_type_id" must be a token type id from 2 to type_vocab_size - 1 (type_vocab_size is 3), got 3.',
    );
  });

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

