import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { DEFAULT_MODELS, DefaultModelError, defaultModelDir } from './default_model';
import { PIPELINE_TASKS, pipeline } from './pipeline';

const MODELS = resolve(__dirname, '../../../models');
// models/attn-gpt2-tiny's greedy continuation (8 tokens): a weak 2 M-parameter model, repetitive but fixed.
const PINNED_SAMPLE = 'It was a dark and stormy night, and the same time, and the';
const HEADS = { 'sequence-classification': 'ForSequenceClassification', 'token-classification': 'ForTokenClassification', 'question-answering': 'ForQuestionAnswering', 'causal-lm': 'LMHeadModel' };

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('defaultModelDir', () => {
  it("finds every task's default in the repository's models/, with the head the task needs", async () => {
    expect(Object.keys(DEFAULT_MODELS).sort()).toEqual(Object.keys(PIPELINE_TASKS).sort());
    for (const task of Object.keys(DEFAULT_MODELS) as Array<keyof typeof DEFAULT_MODELS>) {
      const dir = await defaultModelDir(task);
      expect(dir).toBe(join(MODELS, DEFAULT_MODELS[task]));
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      expect(config.architectures[0], task).toMatch(new RegExp(`${HEADS[PIPELINE_TASKS[task]]}$`));
    }
  });

  describe('without the repository', () => {
    const empty = mkdtempSync(join(tmpdir(), 'attn-no-models-'));
    afterAll(() => rmSync(empty, { recursive: true, force: true }));

    it('refuses in one line that names the missing model and what to pass instead', async () => {
      const err = await defaultModelDir('ner', { modelsDir: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DefaultModelError);
      const message = (err as Error).message;
      expect(message).not.toMatch(/\n/);
      expect(message).toBe(
        `pipeline('ner') has no model: its default attn-bert-mini-conll03 is not in ${empty} (the defaults ship with the attn repository's models/, not with the npm package); pass a model directory, pipeline('ner', 'path/to/model'), or set ATTN_MODELS_DIR to a folder holding attn-bert-mini-conll03/.`,
      );
    });

    it('reads ATTN_MODELS_DIR', async () => {
      const before = process.env.ATTN_MODELS_DIR;
      process.env.ATTN_MODELS_DIR = empty;
      try {
        await expect(pipeline('question-answering')).rejects.toThrow(`its default attn-bert-mini-squad is not in ${empty} `);
      } finally {
        if (before === undefined) delete process.env.ATTN_MODELS_DIR;
        else process.env.ATTN_MODELS_DIR = before;
      }
    });
  });
});

describe('pipeline(task) with no model', () => {
  it('labels clearly positive and negative sentences with the SST-2 default', async () => {
    const before = tf.memory().numTensors;
    const classifier = await pipeline('text-classification');
    const [pos, neg] = classifier.predict(['a gripping , beautifully acted film that i loved', 'a dull , tedious mess and a waste of time']);
    expect(pos!.label).toBe('POSITIVE');
    expect(neg!.label).toBe('NEGATIVE');
    classifier.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('finds a person and a place with the CoNLL-2003 default (an int8 + float16 checkpoint), and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const ner = await pipeline('ner', undefined, { aggregationStrategy: 'first' });
    const [entities] = ner.predict(['John Smith flew from London to Berlin on Monday.']);
    const found = entities!.map((e) => `${e.entity}:${e.word}`);
    expect(found).toContain('PER:John Smith');
    expect(found).toContain('LOC:London');
    expect(found).toContain('LOC:Berlin');
    ner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers from the context with the SQuAD default (a span of the context, exact offsets)', async () => {
    const qa = await pipeline('question-answering');
    const context = 'The Eiffel Tower was completed in 1889. It stands in Paris, on the Champ de Mars.';
    const [answers] = qa.predict([{ question: 'When was the Eiffel Tower completed?', context }], { topK: 3 });
    expect(answers!.length).toBeGreaterThan(0);
    for (const a of answers!) expect(context.slice(a.start, a.end)).toBe(a.answer);
    // attn-bert-mini-squad (question-match type, sentence prior) answers this one.
    expect(answers![0]!.answer).toBe('1889');
    qa.dispose();
  });

  it('continues a prompt with the pretrained GPT default: greedy is deterministic, the text pinned, nothing leaked', async () => {
    const generator = await pipeline('text-generation');
    const before = tf.memory().numTensors;
    const [[first]] = generator.call('It was a dark and stormy night', { maxNewTokens: 8 });
    const [[second]] = generator.call('It was a dark and stormy night', { maxNewTokens: 8 });
    expect(second).toEqual(first);
    expect(first!.generatedText).toBe(PINNED_SAMPLE);
    expect(tf.memory().numTensors).toBe(before);
    generator.model.dispose();
  });
});
