// Any registered encoder family goes through attn-qa: a micro RoBERTa (byte-level BPE offsets) and a micro
// DistilBERT (no token types), as HF saved them (fixtures/models), fine-tuned for a few steps on SQuAD windows,
// saved, reloaded, evaluated to the same EM/F1 and used to predict spans of the context.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { trainQa, type QaTrainFlags } from '../src/commands/train';
import { evalQa } from '../src/commands/eval';
import { predictQa } from '../src/commands/predict';
import { optionDefaults } from '@attn/cli/testing';
import { createProgram } from '../src/program';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const SQUAD = join(FIXTURES, 'data', 'squad-v1.1-2articles.json');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-families-'));
const windows = { maxLength: '128', stride: '32' };

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each([
  ['micro-roberta', 'RobertaForQuestionAnswering'],
  ['micro-distilbert', 'DistilBertForQuestionAnswering'],
])('attn-qa with %s', (name, architecture) => {
  it('fine-tunes, saves as the same family, reloads to the same EM/F1 and answers with spans of the context, without leaks', async () => {
    const out = join(work, name);
    const flags = {
      ...optionDefaults(createProgram, 'train'),
      train: SQUAD, devSplitArticles: '1', model: join(FIXTURES, 'models', name), out, batchSize: '8', epochs: '1', patience: '0', seed: '1', ...windows,
      limit: '16', devLimit: '8', loggingSteps: '1', quiet: true,
    } as QaTrainFlags;
    const before = tf.memory().numTensors;
    const trained = await trainQa(flags);
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual([architecture]);
    const { dev } = await import('../src/squad_file').then(async (m) => m.splitByArticle(await m.readSquadFile(SQUAD, 'throw'), 1, SQUAD));
    const devFile = join(work, `${name}-dev.json`);
    const paragraphs = dev.slice(0, 8).map((e) => ({ context: e.context, qas: [{ id: e.id, question: e.question, answers: e.answers.map((a) => ({ text: a.text, answer_start: a.answerStart })) }] }));
    writeFileSync(devFile, JSON.stringify({ data: [{ title: 'dev', paragraphs }] }));
    const r = await evalQa({ model: out, data: devFile, onError: 'throw', ...windows, maxAnswerLength: '30', nBest: '20', limit: '0', json: true } as never);
    expect(r.exactMatch).toBeCloseTo(trained.exactMatch!, 6);
    expect(r.f1).toBeCloseTo(trained.f1!, 6);
    const context = JSON.parse(readFileSync(SQUAD, 'utf8')).data[0].paragraphs[0].context as string;
    const answers = await predictQa({ model: out, question: 'Where was Super Bowl 50 played?', context, topK: '3', ...windows, maxAnswerLength: '15', json: true } as never);
    expect(answers).toHaveLength(3);
    for (const x of answers) {
      expect(context.slice(x.start, x.end)).toBe(x.answer);
      expect(x.answer).not.toMatch(/^\s|\s$/);
    }
  });
});
