import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type BertTaskModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TokenClassificationPipeline } from './token_classification_pipeline';
import { pipeline } from './pipeline';
import { saveTokenizer } from './pretrained_tokenizer';

const VOCAB = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-cased/vocab.txt');
const labels = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const text = 'Angela Merkel visited Washington and Ouagadougou on Tuesday.';

let tokenizer: Tokenizer;
let model: BertTaskModel;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  tokenizer = await Tokenizer.fromVocabFile(VOCAB, { lowercase: false });
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
  model = createModel('token-classification', config, { seed: 7 });
});

afterAll(() => model?.dispose());

describe('TokenClassificationPipeline', () => {
  it("scores each token with the softmax of the model's logits", () => {
    const pipe = new TokenClassificationPipeline(model, tokenizer, { aggregationStrategy: 'none', ignoreLabels: [] });
    const [tokens] = pipe.tokenScores([text]);
    const enc = tokenizer.encode(text);
    const direct = tf.tidy(() => {
      const ids = tf.tensor2d([enc.ids], undefined, 'int32');
      return tf.softmax(model.forward({ inputIds: ids }).logits!, -1).arraySync() as number[][][];
    });
    expect(tokens!.length).toBe(enc.ids.length - 2);
    tokens!.forEach((t, i) => {
      expect([t.start, t.end]).toEqual(enc.offsets[i + 1]);
      Array.from(t.scores).forEach((p, j) => expect(p).toBeCloseTo(direct[0]![i + 1]![j]!, 5));
    });
    // Every sub-token of "Ouagadougou" after the first continues the word.
    const ouaga = tokens!.filter((t) => t.start >= text.indexOf('Ouaga') && t.end <= text.indexOf(' on'));
    expect(ouaga.length).toBeGreaterThan(1);
    expect(ouaga.map((t) => t.isSubword)).toEqual([false, ...ouaga.slice(1).map(() => true)]);
  });

  it('returns entities whose word is the text at their offsets, for every strategy', () => {
    for (const aggregationStrategy of ['none', 'simple', 'first', 'average', 'max'] as const) {
      const pipe = new TokenClassificationPipeline(model, tokenizer, { aggregationStrategy, ignoreLabels: [] });
      const [entities] = pipe.predict([text]);
      expect(entities!.length).toBeGreaterThan(0);
      for (const e of entities!) expect(text.slice(e.start, e.end)).toBe(e.word);
      // With nothing ignored, the entities tile the text's tokens in order.
      for (let i = 1; i < entities!.length; i++) expect(entities![i]!.start).toBeGreaterThanOrEqual(entities![i - 1]!.end);
      if (aggregationStrategy !== 'none' && aggregationStrategy !== 'simple') {
        // Word-level strategies never cut a word.
        for (const e of entities!) expect(/\w/.test(text[e.end] ?? ' ') && /\w/.test(text[e.end - 1]!)).toBe(false);
      }
    }
  });

  it('covers a long text with overlapping windows: every token once, in order', () => {
    const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i} mentions Berlin and Lagos.`).join(' ');
    const full = tokenizer.encode(long);
    expect(full.ids.length).toBeGreaterThan(64);
    const pipe = new TokenClassificationPipeline(model, tokenizer, { maxLength: 24, stride: 6 });
    const [tokens] = pipe.tokenScores([long]);
    expect(tokens!.map((t) => [t.start, t.end])).toEqual(full.offsets.slice(1, -1));
  });

  it('keeps tf.memory().numTensors stable across calls', () => {
    const pipe = new TokenClassificationPipeline(model, tokenizer);
    pipe.predict([text, 'Paris']);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) pipe.predict([text, 'Paris']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("pipeline('ner', dir) loads a saved model and predicts the same", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-ner-pipe-'));
    try {
      await (model as unknown as { savePretrained(d: string): Promise<void> }).savePretrained(dir);
      await saveTokenizer(tokenizer, dir);
      const loaded = await pipeline('ner', dir, { aggregationStrategy: 'first' });
      expect(loaded).toBeInstanceOf(TokenClassificationPipeline);
      const expected = new TokenClassificationPipeline(model, tokenizer, { aggregationStrategy: 'first' }).predict([text]);
      const got = loaded.predict([text]);
      expect(got.map((es) => es.map((e) => [e.entity, e.start, e.end]))).toEqual(expected.map((es) => es.map((e) => [e.entity, e.start, e.end])));
      got[0]!.forEach((e, i) => expect(e.score).toBeCloseTo(expected[0]![i]!.score, 5));
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown aggregation strategy with the list of known ones', () => {
    expect(() => new TokenClassificationPipeline(model, tokenizer, { aggregationStrategy: 'longest' as never })).toThrow(/none, simple, first, average, max/);
  });
});
