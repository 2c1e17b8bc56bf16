import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { auditDurableWrites, type DurabilityReport } from '@attn/tensor/testing';
import { Tokenizer } from '@attn/tokenizers';
import { postprocessQaPredictions, prepareQaEvalFeatures, prepareQaTrainFeatures, readSquad } from '@attn/data';
import { squadV1 } from '@attn/metrics';
import { createProgram } from '../src/program';
import { trainQa, type QaTrainFlags } from '../src/commands/train';
import { evalQa } from '../src/commands/eval';
import { predictQa } from '../src/commands/predict';
import { DEFAULT_MODEL } from '../src/commands/train';
import { runProgram } from '@attn/cli/testing';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const SQUAD = join(FIXTURES, 'data', 'squad-v1.1-2articles.json');
const TOKENIZER = join(FIXTURES, 'tokenizers', 'bert-base-uncased', 'tokenizer.json');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-app-'));
const out = join(work, 'model');
const windows = { maxLength: '128', stride: '32' };

const cli = (...args: string[]) => runProgram(createProgram, args);

const trainFlags: QaTrainFlags = {
  train: SQUAD,
  devSplitArticles: '1',
  model: 'bert-tiny',
  out,
  onError: 'throw',
  optimizer: 'adamw',
  lr: '1e-3',
  batchSize: '8',
  epochs: '1',
  weightDecay: '0.01',
  warmupRatio: '0.1',
  patience: '0',
  freeze: 'none',
  seed: '1',
  ...windows,
  maxAnswerLength: '30',
  maxGradNorm: '1',
  limit: '24',
  devLimit: '16',
  loggingSteps: '2',
  quiet: true,
};

let trained: { exactMatch?: number; f1?: number };
let trainAudit: DurabilityReport;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const before = tf.memory().numTensors;
  trainAudit = await auditDurableWrites(out, async () => (trained = await trainQa(trainFlags)));
  expect(tf.memory().numTensors).toBe(before);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-qa train output', () => {
  it('every file it saves is durable (flushed, renamed, directory flushed) but the appended log.jsonl', () => {
    expect(trainAudit.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'loss.svg']));
    expect(trainAudit.notDurable).toEqual(['log.jsonl: content never flushed (fsync) before it was put in place']);
  });
});

describe('SQuAD post-processing is exact', () => {
  it('gold start/end positions fed as logits give EM = F1 = 100 on token-aligned answers, window-crossing ones included', async () => {
    const tokenizer = await Tokenizer.fromFile(TOKENIZER);
    const { examples } = await readSquad(SQUAD);
    const opts = { maxLength: 64, stride: 16 };
    const train = prepareQaTrainFeatures(tokenizer, examples, opts);
    const evalFeatures = prepareQaEvalFeatures(tokenizer, examples, opts);
    expect(train.length).toBe(evalFeatures.length);
    let laterWindow = 0;
    let cut = 0;
    const seen = new Map<number, number>();
    const start = train.map((f, i) => {
      const row = new Float32Array(evalFeatures[i]!.inputIds.length);
      const w = seen.get(f.exampleIndex) ?? 0;
      seen.set(f.exampleIndex, w + 1);
      if (f.startPosition !== 0) {
        row[f.startPosition] = 10;
        if (w > 0) laterWindow++;
      } else {
        // The answer starts inside this window's context but does not fit: it crosses the window's edge.
        const ex = examples[f.exampleIndex]!;
        const offs = evalFeatures[i]!.offsetMapping.filter((o): o is [number, number] => o !== null);
        const s = ex.answers[0]!.answerStart;
        if (offs.length && s >= offs[0]![0] && s < offs.at(-1)![1]) cut++;
      }
      return row;
    });
    const end = train.map((f, i) => {
      const row = new Float32Array(evalFeatures[i]!.inputIds.length);
      if (f.startPosition !== 0) row[f.endPosition] = 10;
      return row;
    });
    expect(laterWindow).toBeGreaterThan(10);
    expect(cut).toBeGreaterThan(0);
    const predictions = postprocessQaPredictions(examples, evalFeatures, start, end, { maxAnswerLength: 100 });
    // A gold answer that starts or ends inside a WordPiece ("gold" in "golden", "8" in "18") cannot be
    // a token span; HF's post-processing returns the enclosing tokens there too. Every other answer
    // must come back exactly.
    const tokenAligned = examples.map((ex) => {
      const s = ex.answers[0]!.answerStart;
      const e = s + ex.answers[0]!.text.length;
      const offs = evalFeatures.filter((f) => f.exampleId === ex.id).flatMap((f) => f.offsetMapping.filter((o): o is [number, number] => o !== null));
      return offs.some((o) => o[0] === s) && offs.some((o) => o[1] === e);
    });
    const aligned = examples.filter((_, i) => tokenAligned[i]);
    expect(aligned.length).toBeGreaterThan(200);
    const scores = squadV1(
      Object.fromEntries(predictions.filter((_, i) => tokenAligned[i]).map((p) => [p.id, p.text])),
      Object.fromEntries(aligned.map((e) => [e.id, e.answers.map((a) => a.text)])),
    );
    expect(scores.exact_match).toBe(100);
    expect(scores.f1).toBe(100);
    predictions.forEach((p, i) => {
      const gold = examples[i]!.answers[0]!;
      // Exact to the character, not only after SQuAD's normalisation.
      if (tokenAligned[i]) expect(p.text).toBe(gold.text);
      else {
        expect(p.start).toBeLessThanOrEqual(gold.answerStart);
        expect(p.end).toBeGreaterThanOrEqual(gold.answerStart + gold.text.length);
        expect(p.text).toContain(gold.text);
      }
    });
  });
});

describe('attn-qa train → eval → predict on a SQuAD slice', () => {
  it('saves an HF model directory with tokenizer, log and charts', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'log.jsonl', 'train_results.json', 'loss.svg', 'squad.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForQuestionAnswering']);
    const results = JSON.parse(readFileSync(join(out, 'train_results.json'), 'utf8'));
    expect(results.trainQuestions).toBe(24);
    expect(results.devQuestions).toBe(16);
    expect(results.trainWindows).toBeGreaterThan(24);
  });

  it('eval of the reloaded directory reproduces the end-of-training dev EM / F1', async () => {
    const { dev } = await import('../src/squad_file').then(async (m) => m.splitByArticle(await m.readSquadFile(SQUAD, 'throw'), 1, SQUAD));
    const devFile = join(work, 'dev.json');
    // The same 16 dev questions, written back as SQuAD JSON.
    const paragraphs = dev.slice(0, 16).map((e) => ({ context: e.context, qas: [{ id: e.id, question: e.question, answers: e.answers.map((a) => ({ text: a.text, answer_start: a.answerStart })) }] }));
    writeFileSync(devFile, JSON.stringify({ data: [{ title: 'dev', paragraphs }] }));
    const r = await evalQa({ model: out, data: devFile, onError: 'throw', ...windows, maxAnswerLength: '30', nBest: '20', limit: '0', json: true });
    expect(r.exactMatch).toBeCloseTo(trained.exactMatch!, 6);
    expect(r.f1).toBeCloseTo(trained.f1!, 6);
  });

  it('predict answers with spans of the context, top-k distinct and stable across loads', async () => {
    const context = readSquadContext();
    const flags = { model: out, question: 'Where was Super Bowl 50 played?', context, topK: '3', ...windows, maxAnswerLength: '15', json: true };
    const a = await predictQa(flags);
    const b = await predictQa(flags);
    expect(b).toEqual(a);
    expect(a).toHaveLength(3);
    for (const x of a) expect(context.slice(x.start, x.end)).toBe(x.answer);
    const r = await cli('predict', '--model', out, '--question', 'Who won?', '--context', context, '--json');
    expect(r.code).toBe(0);
    const best = JSON.parse(r.stdout);
    expect(context.slice(best.start, best.end)).toBe(best.answer);
  });

  it('--int8: predict runs the quantized model and still answers with spans of the context', async () => {
    const context = readSquadContext();
    const a = await predictQa({ model: out, question: 'Where was Super Bowl 50 played?', context, topK: '3', ...windows, maxAnswerLength: '15', json: true, int8: true });
    expect(a).toHaveLength(3);
    for (const x of a) expect(context.slice(x.start, x.end)).toBe(x.answer);
  });
});

function readSquadContext(): string {
  const d = JSON.parse(readFileSync(SQUAD, 'utf8'));
  return d.data[0].paragraphs[0].context as string;
}

describe('attn-qa errors are one actionable line', () => {
  it('an answer that is not at its offset names the file and field; --on-error skip counts it', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ data: [{ title: 't', paragraphs: [{ context: 'Paris is in France.', qas: [
        { id: 'q1', question: 'Where is Paris?', answers: [{ text: 'France', answer_start: 3 }] },
        { id: 'q2', question: 'What is in France?', answers: [{ text: 'Paris', answer_start: 0 }] },
      ] }] }] }, null, 1),
    );
    const r = await cli('eval', '--model', out, '--data', bad, ...['--max-length', '128', '--stride', '32']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bad\.json:\d+ \(field "data\[0\]\.paragraphs\[0\]\.qas\[0\]\.answers\[0\]\.answer_start"\).*"France" is not at answer_start 3/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const skipped = await cli('eval', '--model', out, '--data', bad, '--on-error', 'skip', '--json', '--max-length', '128', '--stride', '32');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped 1 bad question/);
    expect(JSON.parse(skipped.stdout).questions).toBe(1);
  });

  it('missing weights, a missing context and a bad split say what to do', async () => {
    writeFileSync(join(work, 'config.json'), '{}');
    const e1 = await cli('predict', '--model', work, '--question', 'q?', '--context', 'c');
    expect(e1.stderr).toMatch(/^error: --model .*no model\.safetensors/);
    const e2 = await cli('predict', '--model', out, '--question', 'q?');
    expect(e2.stderr).toMatch(/^error: pass the context as --context/);
    const e3 = await cli('train', '--train', SQUAD, '--dev-split-articles', '2', '--out', join(work, 'x'), '--quiet');
    expect(e3.stderr).toMatch(/^error: --dev-split-articles must be 1\.\.1 .*holds 2 articles/);
    expect([e1.code, e2.code, e3.code]).toEqual([1, 1, 1]);
  });
});

describe('attn-qa train --patience', () => {
  it('puts the best epoch back (HF load_best_model_at_end): the saved model scores what train reported', async () => {
    const out2 = join(work, 'early');
    const before = tf.memory().numTensors;
    const r = await trainQa({ ...trainFlags, out: out2, epochs: '4', patience: '1', lr: '3e-3', seed: '3' });
    expect(tf.memory().numTensors).toBe(before);
    const results = JSON.parse(readFileSync(join(out2, 'train_results.json'), 'utf8'));
    const epochs: Array<{ step: number; f1: number; exact_match: number }> = results.epochs;
    const best = epochs.reduce((b, e) => (e.f1 > b.f1 ? e : b));
    expect(results.final).toEqual(best);
    expect(r.f1).toBe(best.f1);
    // the case this test exists for: training went on past the best epoch
    expect(epochs.at(-1)!.step).toBeGreaterThan(best.step);

    const { dev } = await import('../src/squad_file').then(async (m) => m.splitByArticle(await m.readSquadFile(SQUAD, 'throw'), 1, SQUAD));
    const devFile = join(work, 'dev-early.json');
    const paragraphs = dev.slice(0, 16).map((e) => ({ context: e.context, qas: [{ id: e.id, question: e.question, answers: e.answers.map((a) => ({ text: a.text, answer_start: a.answerStart })) }] }));
    writeFileSync(devFile, JSON.stringify({ data: [{ title: 'dev', paragraphs }] }));
    const scored = await evalQa({ model: out2, data: devFile, onError: 'throw', ...windows, maxAnswerLength: '30', nBest: '20', limit: '0', json: true });
    expect(scored.f1).toBeCloseTo(best.f1, 6);
    expect(scored.exactMatch).toBeCloseTo(best.exact_match, 6);
  });
});

describe('the default --model', () => {
  it('is the bundled pretrained models/attn-bert-tiny-cased, with its own cased vocabulary', async () => {
    const bundled = resolve(__dirname, '../../../models/attn-bert-tiny-cased');
    expect(DEFAULT_MODEL).toBe(bundled);
    const dir = join(work, 'default-model');
    const before = tf.memory().numTensors;
    await trainQa({ ...trainFlags, model: undefined, limit: '8', devLimit: '4', out: dir });
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'train_results.json'), 'utf8')).model).toBe(bundled);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).vocab_size).toBe(28996);
  });
});
