import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { auditDurableWrites, type DurabilityReport } from '@attn/tensor/testing';
import { createProgram } from '../src/program';
import { trainNer, type NerTrainFlags } from '../src/commands/train';
import { evalNer } from '../src/commands/eval';
import { predictNer } from '../src/commands/predict';
import { DEFAULT_MODEL } from '../src/commands/train';
import { runProgram } from '@attn/cli/testing';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const CONLL = join(FIXTURES, 'data', 'conll2003-valid-50.txt');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-app-'));
const out = join(work, 'model');

const cli = (...args: string[]) => runProgram(createProgram, args);

const trainFlags: NerTrainFlags = {
  train: CONLL,
  dev: CONLL,
  model: 'bert-tiny',
  out,
  tagColumn: '-1',
  inputScheme: 'iob1',
  onError: 'throw',
  optimizer: 'adamw',
  lr: '2e-3',
  batchSize: '8',
  epochs: '3',
  weightDecay: '0.01',
  warmupRatio: '0.1',
  patience: '0',
  freeze: 'none',
  seed: '1',
  maxLength: '64',
  maxGradNorm: '1',
  limit: '0',
  devLimit: '0',
  loggingSteps: '2',
  quiet: true,
};

let trained: { f1?: number };
let trainAudit: DurabilityReport;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const before = tf.memory().numTensors;
  trainAudit = await auditDurableWrites(out, async () => (trained = await trainNer(trainFlags)));
  // The model, its optimizer state and every batch are freed once train returns.
  expect(tf.memory().numTensors).toBe(before);
});

afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-ner train → eval → predict on 50 CoNLL-2003 sentences', () => {
  it('saves an HF model directory with tokenizer, log, report and charts', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'log.jsonl', 'train_results.json', 'entity_f1.svg', 'loss.svg', 'eval_report.txt']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForTokenClassification']);
    expect(Object.values(config.id2label)).toEqual(['B-LOC', 'B-MISC', 'B-ORG', 'B-PER', 'I-LOC', 'I-MISC', 'I-ORG', 'I-PER', 'O']);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const losses = log.filter((e) => typeof e.loss === 'number').map((e) => e.loss as number);
    expect(losses.length).toBeGreaterThan(3);
    // It learns: the last logged training loss is well below the first.
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
    expect(log.filter((e) => typeof e.eval_f1 === 'number').length).toBe(3);
    expect(readFileSync(join(out, 'entity_f1.svg'), 'utf8')).toMatch(/^<svg[\s\S]*PER[\s\S]*<\/svg>\s*$/);
  });

  it('every file it saves is durable (flushed, renamed, directory flushed) but the appended log.jsonl', () => {
    expect(trainAudit.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'train_results.json', 'eval_report.txt', 'loss.svg', 'entity_f1.svg']));
    expect(trainAudit.notDurable).toEqual(['log.jsonl: content never flushed (fsync) before it was put in place']);
  });

  it('eval of the reloaded directory reproduces the end-of-training dev scores', async () => {
    const results = JSON.parse(readFileSync(join(out, 'train_results.json'), 'utf8'));
    const metrics = await evalNer({ model: out, data: CONLL, tagColumn: '-1', inputScheme: 'iob1', onError: 'throw', maxLength: '64', batchSize: '16', json: true });
    expect(metrics.f1).toBeCloseTo(results.final.eval_f1, 6);
    expect(metrics.accuracy).toBeCloseTo(results.final.eval_accuracy, 6);
    expect(metrics.f1).toBe(trained.f1);
  });

  it('predict gives entities whose word is the text at their offsets, the same on every load', async () => {
    const texts = ['Germany beat England in London on Saturday .', 'Peter Blackburn works for the European Commission in Brussels .'];
    const a = await predictNer(texts, { model: out, aggregation: 'first', json: true, maxLength: '512' });
    const b = await predictNer(texts, { model: out, aggregation: 'first', json: true, maxLength: '512' });
    expect(b).toEqual(a);
    for (const r of a) for (const e of r.entities) expect(r.text.slice(e.start, e.end)).toBe(e.word);
    const shown = await cli('predict', '--model', out, '--no-color', ...texts);
    expect(shown.code).toBe(0);
    expect(shown.stdout.trim().split('\n')).toHaveLength(2);
    const json = await cli('predict', '--model', out, '--json', '--aggregation', 'max', texts[0]!);
    expect(JSON.parse(json.stdout).text).toBe(texts[0]);
    const file = join(work, 'texts.txt');
    writeFileSync(file, texts.join('\n') + '\n\n');
    const fromFile = await cli('predict', '--model', out, '--json', '--file', file);
    expect(fromFile.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(a);
  });

  it('--int8: eval and predict run the quantized model (F1 near float, entities at their offsets)', async () => {
    const float = await evalNer({ model: out, data: CONLL, tagColumn: '-1', inputScheme: 'iob1', onError: 'throw', maxLength: '64', batchSize: '16', json: true });
    const int8 = await evalNer({ model: out, data: CONLL, tagColumn: '-1', inputScheme: 'iob1', onError: 'throw', maxLength: '64', batchSize: '16', json: true, int8: true });
    expect(Math.abs(int8.f1! - float.f1!)).toBeLessThan(0.1);
    const texts = ['Germany beat England in London on Saturday .'];
    const r = await predictNer(texts, { model: out, aggregation: 'first', json: true, maxLength: '512', int8: true });
    for (const e of r[0]!.entities) expect(texts[0]!.slice(e.start, e.end)).toBe(e.word);
  });
});

describe('attn-ner errors are one actionable line', () => {
  it('an unknown tag names the file and line', async () => {
    const bad = join(work, 'bad.txt');
    writeFileSync(bad, 'Paris NNP B-NP B-LOC\nis VBZ B-VP O\n\nBob NNP B-NP B-FOO\n');
    const r = await cli('eval', '--model', out, '--data', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bad\.txt:4 .*unknown tag "B-FOO"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const skipped = await cli('eval', '--model', out, '--data', bad, '--on-error', 'skip', '--json');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped 1 bad sentence/);
    expect(JSON.parse(skipped.stdout).sentences).toBe(1);
  });

  it('an empty file, missing weights and a missing flag say what to do', async () => {
    const empty = join(work, 'empty.txt');
    writeFileSync(empty, '-DOCSTART- -X- -X- O\n\n');
    const e1 = await cli('train', '--train', empty, '--out', join(work, 'x'), '--quiet');
    expect(e1.code).toBe(1);
    expect(e1.stderr).toMatch(/^error: .*empty\.txt: (no sentences|empty dataset)/);
    const noWeights = join(work, 'no-weights');
    writeFileSync(join(work, 'config.json'), '{}');
    const e2 = await cli('predict', '--model', work, 'Paris');
    expect(e2.code).toBe(1);
    expect(e2.stderr).toMatch(/^error: --model .*no model\.safetensors/);
    const e3 = await cli('train', '--out', noWeights);
    expect(e3.code).toBe(1);
    expect(e3.stderr).toMatch(/required option '--train <file>'/);
    const short = join(work, 'short.txt');
    writeFileSync(short, 'Paris NNP B-NP B-LOC\nis VBZ B-VP O\n\nBob NNP B-NP B-PER\nsmiles\n');
    const e5 = await cli('train', '--train', short, '--out', join(work, 'y'), '--quiet');
    expect(e5.code).toBe(1);
    expect(e5.stderr).toMatch(/^error: .*short\.txt:5: tag "smiles" .*not an IOB tag/);
    const e4 = await cli('predict', '--model', out, '--aggregation', 'longest', 'Paris');
    expect(e4.stderr).toMatch(/^error: --aggregation must be one of none, simple, first, average, max/);
  });
});

describe('the default --model', () => {
  it('is the bundled pretrained models/attn-bert-tiny-cased, with its own cased vocabulary', async () => {
    expect(DEFAULT_MODEL).toBe(resolve(__dirname, '../../../models/attn-bert-tiny-cased'));
    const before = tf.memory().numTensors;
    const { out: dir } = await trainNer({ ...trainFlags, model: undefined, dev: undefined, epochs: '1', limit: '16', out: join(work, 'default-model') });
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'train_results.json'), 'utf8')).model).toBe(DEFAULT_MODEL);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).vocab_size).toBe(28996);
    // Cased: "Paris" and "paris" are different tokens.
    const { Tokenizer } = await import('@attn/tokenizers');
    const tok = await Tokenizer.fromFile(join(dir, 'tokenizer.json'));
    expect(tok.encode('Paris').ids).not.toEqual(tok.encode('paris').ids);
  });
});
