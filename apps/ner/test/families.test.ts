// Any registered encoder family goes through attn-ner: a micro RoBERTa (byte-level BPE: word starts are Ġ,
// not ##) and a micro DistilBERT, as HF saved them (fixtures/models), fine-tuned for a few steps, saved,
// reloaded, evaluated and used to predict entities whose offsets point at their words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { trainNer, type NerTrainFlags } from '../src/commands/train';
import { evalNer } from '../src/commands/eval';
import { predictNer } from '../src/commands/predict';
import { pipeline } from '@attn/pipelines';
import { optionDefaults } from '@attn/cli/testing';
import { createProgram } from '../src/program';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const CONLL = join(FIXTURES, 'data', 'conll2003-valid-50.txt');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-families-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each([
  ['micro-roberta', 'RobertaForTokenClassification'],
  ['micro-distilbert', 'DistilBertForTokenClassification'],
])('attn-ner with %s', (name, architecture) => {
  it('fine-tunes, saves as the same family, reloads to the same entity F1 and predicts entities at their offsets, without leaks', async () => {
    const out = join(work, name);
    const flags = {
      ...optionDefaults(createProgram, 'train'),
      train: CONLL, dev: CONLL, model: join(FIXTURES, 'models', name), out, batchSize: '16', epochs: '1', patience: '0', seed: '1', maxLength: '64', loggingSteps: '1', quiet: true,
    } as NerTrainFlags;
    const before = tf.memory().numTensors;
    const trained = await trainNer(flags);
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual([architecture]);
    const metrics = await evalNer({ model: out, data: CONLL, tagColumn: '-1', inputScheme: 'iob1', onError: 'throw', maxLength: '64', batchSize: '16', json: true } as never);
    expect(metrics.f1).toBe(trained.f1);
    const texts = ['Germany beat England in London on Saturday .', 'Peter Blackburn works for the European Commission in Brussels .'];
    const a = await predictNer(texts, { model: out, aggregation: 'simple', json: true, maxLength: '512' } as never);
    const b = await predictNer(texts, { model: out, aggregation: 'simple', json: true, maxLength: '512' } as never);
    expect(b).toEqual(a);
    for (const r of a) for (const e of r.entities) expect(r.text.slice(e.start, e.end)).toBe(e.word);
    // Every token, entity or not: its offsets cover text without RoBERTa's Ġ space, and it starts a word exactly
    // where the text has a space (or the start) before it, so entity grouping joins the right pieces.
    const ner = await pipeline('ner', out);
    for (const [i, tokens] of ner.tokenScores(texts).entries()) {
      const text = texts[i]!;
      expect(tokens.length).toBeGreaterThanOrEqual(text.split(' ').length);
      for (const t of tokens) {
        expect(text.slice(t.start, t.end)).not.toMatch(/\s/);
        expect(t.isSubword, `${JSON.stringify(text.slice(t.start, t.end))} at ${t.start}`).toBe(t.start > 0 && text[t.start - 1] !== ' ');
      }
    }
    ner.dispose();
  });
});
