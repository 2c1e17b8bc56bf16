// attn-qa train --question-match --sentence-prior: the type table grows by a row, config.json records
// question_match_type_id and task_specific_params' sentence_prior, and eval, predict and a further fine-tune of the
// saved model read them back, without leaking tensors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { optionDefaults } from '@attn/cli/testing';
import { trainQa, type QaTrainFlags } from '../src/commands/train';
import { evalQa } from '../src/commands/eval';
import { predictQa } from '../src/commands/predict';
import { createProgram } from '../src/program';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const SQUAD = join(FIXTURES, 'data', 'squad-v1.1-2articles.json');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-match-'));
const windows = { maxLength: '96', stride: '24' };
const flags = (model: string, out: string, extra: Partial<QaTrainFlags> = {}) =>
  ({
    ...optionDefaults(createProgram, 'train'),
    train: SQUAD, devSplitArticles: '1', model, tokenizer: join(FIXTURES, 'tokenizers', 'bert-base-uncased', 'tokenizer.json'),
    out, batchSize: '8', epochs: '1', patience: '0', seed: '1', limit: '16', devLimit: '8', loggingSteps: '1', quiet: true, ...windows, ...extra,
  }) as QaTrainFlags;
const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-qa train --question-match --sentence-prior', () => {
  it('saves type_vocab_size 3 and question_match_type_id 2; eval and predict use them; a further fine-tune keeps them', async () => {
    const out = join(work, 'match');
    const before = tf.memory().numTensors;
    const trained = await trainQa(flags('bert-tiny', out, { questionMatch: true, sentencePrior: '8' }));
    expect(tf.memory().numTensors).toBe(before);
    expect([config(out).type_vocab_size, config(out).question_match_type_id]).toEqual([3, 2]);
    expect(config(out).task_specific_params).toEqual({ 'question-answering': { sentence_prior: 8 } });

    // eval marks the windows as training did: the same EM / F1 as the run's own dev evaluation.
    const { dev } = await import('../src/squad_file').then(async (m) => m.splitByArticle(await m.readSquadFile(SQUAD, 'throw'), 1, SQUAD));
    const devFile = join(work, 'dev.json');
    const paragraphs = dev.slice(0, 8).map((e) => ({ context: e.context, qas: [{ id: e.id, question: e.question, answers: e.answers.map((a) => ({ text: a.text, answer_start: a.answerStart })) }] }));
    (await import('node:fs')).writeFileSync(devFile, JSON.stringify({ data: [{ title: 'dev', paragraphs }] }));
    const r = await evalQa({ model: out, data: devFile, onError: 'throw', ...windows, maxAnswerLength: '30', nBest: '20', limit: '0', json: true } as never);
    expect(r.exactMatch).toBeCloseTo(trained.exactMatch!, 6);
    expect(r.f1).toBeCloseTo(trained.f1!, 6);
    // --sentence-prior on eval overrides the saved weight.
    const off = await evalQa({ model: out, data: devFile, onError: 'throw', ...windows, maxAnswerLength: '30', nBest: '20', limit: '0', json: true, sentencePrior: '0' } as never);
    expect(off.predictions).not.toEqual(r.predictions);

    const context = dev[0]!.context;
    const answers = await predictQa({ model: out, question: dev[0]!.question, context, topK: '2', ...windows, maxAnswerLength: '15', json: true } as never);
    for (const x of answers) expect(context.slice(x.start, x.end)).toBe(x.answer);

    // Fine-tuning the saved model again, with or without the flag, keeps its three types.
    const again = join(work, 'again');
    await trainQa(flags(out, again, { tokenizer: undefined }));
    expect([config(again).type_vocab_size, config(again).question_match_type_id]).toEqual([3, 2]);
    expect(config(again).task_specific_params).toEqual({ 'question-answering': { sentence_prior: 8 } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model without a token type table in one line', async () => {
    await expect(trainQa(flags(join(FIXTURES, 'models', 'micro-distilbert'), join(work, 'distil'), { tokenizer: undefined, questionMatch: true }))).rejects.toThrow(
      'a distilbert model has no token type table (type_vocab_size) to add a token type to; BERT, ALBERT and ELECTRA have one, DistilBERT has none.',
    );
  });
});
