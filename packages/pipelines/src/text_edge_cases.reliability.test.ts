// Text edge cases end to end through the three pipelines the apps use (classify → text
// classification, ner → token classification, qa → question answering), with a real tokenizer
// (bert-base-uncased) and small random BERTs: empty and whitespace-only strings, 100k-character
// inputs, unpaired surrogates, RTL, CJK, emoji. Every call returns well-formed results (finite
// probabilities, offsets inside the text, answers equal to context.slice(start, end)), 100k-char
// texts are truncated with a warning (classification) or windowed (NER, QA), and no tensor leaks.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type BertTask } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { QuestionAnsweringPipeline } from './question_answering_pipeline';
import { PipelineInputError } from './pipeline_error';
import { TextClassificationPipeline } from './text_classification_pipeline';
import { TokenClassificationPipeline } from './token_classification_pipeline';

const TOKENIZER = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json');
let tokenizer: Tokenizer;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  tokenizer = await Tokenizer.fromFile(TOKENIZER);
});

const model = (task: BertTask) =>
  createModel(task, BertConfig.fromJSON({
    vocab_size: 30522, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32,
    max_position_embeddings: 128, id2label: { 0: 'O', 1: 'B-PER', 2: 'I-PER' },
  }), { seed: 7 });

const LONG = 'Grüße aus Köln, 東京 und القاهرة 🎉. '.repeat(3000).slice(0, 100_000);
const EDGE: Record<string, string> = {
  empty: '',
  whitespace: ' \t\n\u00a0\u3000 ',
  'lone high surrogate': 'abc \ud83d def',
  'lone low surrogate': '\ude00 start',
  'reversed pair': '\ude00\ud83d',
  RTL: 'שלום עולם مرحبا بالعالم',
  'RTL marks': '\u202eevil\u202c \u200f',
  CJK: '我爱自然语言处理。日本語のテキスト、한국어 텍스트',
  emoji: '👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇯🇵',
  'combining marks': 'e\u0301\u0301\u0301 Z̸̢͎̈́a̵l̷g̴o̸',
  'control chars': '\u0000\u0001\u0007\u001b[31m red',
  '100k characters': LONG,
};

describe('text classification (classify app)', () => {
  it('every edge case: finite probabilities summing to 1; long input truncated with one warning', () => {
    const warnings: string[] = [];
    const pipe = new TextClassificationPipeline(model('sequence-classification'), tokenizer, { maxLength: 64, onWarning: (m) => warnings.push(m) });
    const before = tf.memory().numTensors;
    const names = Object.keys(EDGE);
    const t0 = performance.now();
    const results = pipe.predict(Object.values(EDGE));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(results).toHaveLength(names.length);
    for (const [i, r] of results.entries()) {
      const sum = r.scores.reduce((a, s) => a + s.score, 0);
      expect(Math.abs(sum - 1), names[i]).toBeLessThan(1e-5);
      expect(r.scores.every((s) => Number.isFinite(s.score))).toBe(true);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/truncated/);
    expect(warnings[0]).toContain('64');
    // Pairs too, with an edge case on either side.
    const pairs = pipe.predict([['', LONG], ['\ud800', '']]);
    expect(pairs.every((r) => Number.isFinite(r.score))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    pipe.dispose();
  });
});

describe('token classification (ner app)', () => {
  it('every edge case: entities with offsets inside the text whose word is text.slice(start, end)', () => {
    // stride 32 of 128: the default (128, capped at maxLength - 8 = 120) would step 8 tokens per window.
    const pipe = new TokenClassificationPipeline(model('token-classification'), tokenizer, { batchSize: 64, stride: 32, ignoreLabels: [] });
    const before = tf.memory().numTensors;
    for (const [name, text] of Object.entries(EDGE)) {
      const t0 = performance.now();
      const [entities] = pipe.predict([text]);
      expect(performance.now() - t0, name).toBeLessThan(5000);
      if (text.trim() === '') expect(entities, name).toEqual([]);
      for (const e of entities!) {
        expect(e.start >= 0 && e.end <= text.length && e.start <= e.end, name).toBe(true);
        expect(Number.isFinite(e.score), name).toBe(true);
      }
      // The long text is windowed, not cut: entities reach its end.
      if (name === '100k characters') expect(Math.max(...entities!.map((e) => e.end))).toBeGreaterThan(text.length - 100);
    }
    expect(tf.memory().numTensors).toBe(before);
    pipe.dispose();
  });
});

describe('question answering (qa app)', () => {
  it('every edge case as question and as context: answers are context.slice(start, end)', () => {
    const pipe = new QuestionAnsweringPipeline(model('question-answering'), tokenizer, { batchSize: 64 });
    const before = tf.memory().numTensors;
    for (const [name, text] of Object.entries(EDGE)) {
      for (const input of [{ question: text, context: 'Marie Curie was born in Warsaw.' }, { question: 'Who?', context: text }]) {
        const t0 = performance.now();
        let answers: ReturnType<typeof pipe.predict>[number] = [];
        try {
          [answers] = pipe.predict([input]) as [typeof answers];
        } catch (e) {
          // A typed, actionable refusal is fine for an empty question or context, or a question
          // longer than a window; nothing else is.
          expect(e, name).toBeInstanceOf(PipelineInputError);
          expect((e as Error).message).toMatch(/question is empty|context is empty|shorten the question/);
        }
        expect(performance.now() - t0, name).toBeLessThan(5000);
        for (const a of answers!) {
          expect(a.answer, name).toBe(input.context.slice(a.start, a.end));
          expect(Number.isFinite(a.score)).toBe(true);
        }
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    pipe.dispose();
  });
});
