import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from './program';
import { architectureOnlyModelDir, oneLineError, runProgram, saveRandomModel } from '@attn/cli/testing';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-checks-'));

const cli = (...args: string[]) => runProgram(createProgram, args);

describe('attn-qa refuses a model trained for another task', () => {
  it('predict, eval and serve name what the model is', async () => {
    const ner = architectureOnlyModelDir(work, 'BertForTokenClassification');
    const expected = `error: --model ${ner} is a token-classification model (BertForTokenClassification); qa needs a question-answering model.\n`;
    expect(oneLineError(await cli('predict', '--model', ner, '--question', 'Who?', '--context', 'Ann did.'))).toBe(expected);
    expect(oneLineError(await cli('eval', '--model', ner, '--data', join(FIXTURES, 'data', 'squad-v1.1-2articles.json')))).toBe(expected);
    expect(oneLineError(await cli('serve', '--model', architectureOnlyModelDir(work, 'BertForSequenceClassification'), '--port', '0'))).toMatch(/is a sequence-classification model \(BertForSequenceClassification\); qa needs a question-answering model/);
  });
});

/** `café crème` as ISO-8859-1 (é = E9, è = E8): invalid as UTF-8. */
const CAFE_LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]);

describe('attn-qa: --sentence-prior and --question-match at start-up', () => {
  it('a negative or non-numeric prior is one line naming the flag, in train, eval and predict', async () => {
    const expected = 'error: --sentence-prior must be a number >= 0; got "-2".\n';
    const squad = join(FIXTURES, 'data', 'squad-v1.1-2articles.json');
    expect(oneLineError(await cli('train', '--train', squad, '--out', join(work, 'never'), '--sentence-prior', '-2'))).toBe(expected);
    expect(oneLineError(await cli('eval', '--model', join(work, 'none'), '--data', squad, '--sentence-prior', '-2'))).toMatch(/^error: /);
    expect(oneLineError(await cli('predict', '--model', join(work, 'none'), '--question', 'Who?', '--context', 'Ann did.', '--sentence-prior', 'x'))).toBe('error: --sentence-prior must be a number >= 0; got "x".\n');
  });
});

describe('attn-qa: input files, empty input and start-up flags (issue #22 items 4, 7, 8, 9)', () => {
  const model = join(work, 'reader');
  const missing = join(work, 'no-such-file.json');
  const context = join(work, 'context-latin1.txt');
  writeFileSync(context, Buffer.concat([Buffer.from('We met at the\n'), CAFE_LATIN1, Buffer.from('.\n')]));
  // SQuAD JSON with a Latin-1 context and answer on line 5.
  const squad = join(work, 'squad-latin1.json');
  writeFileSync(
    squad,
    Buffer.concat([
      Buffer.from('{"version": "1.1", "data": [{"title": "t", "paragraphs": [\n{"qas": [{"id": "1", "question": "Where?",\n"answers": [{"answer_start": 0,\n"text": "'),
      CAFE_LATIN1.subarray(0, 4),
      Buffer.from('"}]}],\n"context": "'),
      CAFE_LATIN1,
      Buffer.from('"}]}]}\n'),
    ]),
  );

  beforeAll(async () => {
    // Random weights: these tests are about input and flags, not accuracy.
    await saveRandomModel(model, {
      task: 'question-answering',
      defaultTokenizer: join(FIXTURES, 'tokenizers', 'bert-base-cased', 'vocab.txt'),
      lowercase: false,
      seed: 1,
    });
  });

  it('a Latin-1 file is one line naming file and line in train, eval and predict; --encoding latin1 reads it', async () => {
    const bad = new RegExp(`^error: ${squad}:4: not valid UTF-8 \\(byte 0xE9 at byte 13 of the line\\)`);
    expect(oneLineError(await cli('train', '--train', squad, '--model', 'bert-tiny', '--out', join(work, 'never')))).toMatch(bad);
    expect(oneLineError(await cli('eval', '--model', model, '--data', squad))).toMatch(bad);
    expect(oneLineError(await cli('predict', '--model', model, '--question', 'Where?', '--context-file', context))).toMatch(new RegExp(`^error: ${context}:2: not valid UTF-8`));
    const predicted = await cli('predict', '--model', model, '--question', 'Where?', '--context-file', context, '--encoding', 'latin1', '--top-k', '20', '--json', '--backend', 'wasm');
    expect(predicted.code, predicted.stderr).toBe(0);
    // Every answer is a span of the context as decoded: é and è are characters, not U+FFFD.
    const answers = JSON.parse(predicted.stdout) as Array<{ answer: string; start: number; end: number }>;
    const text = 'We met at the\ncafé crème.\n';
    for (const a of answers) expect(text.slice(a.start, a.end)).toBe(a.answer);
    expect(answers.some((a) => /[éè]/.test(a.answer))).toBe(true);
    expect(predicted.stdout).not.toMatch(/\ufffd/);
    const evaluated = await cli('eval', '--model', model, '--data', squad, '--encoding', 'latin1', '--json', '--backend', 'wasm');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).questions).toBe(1);
    const trained = await cli('train', '--train', squad, '--model', 'bert-tiny', '--out', join(work, 'latin1-model'), '--encoding', 'latin1', '--epochs', '1', '--save-strategy', 'no', '--quiet', '--backend', 'wasm');
    expect(trained.code, trained.stderr).toBe(0);
  });

  it('an empty or whitespace-only question or context names its flag', async () => {
    expect(oneLineError(await cli('predict', '--model', model, '--question', '', '--context', 'Ann did.'))).toBe('error: --question is empty; ask a question about the context.\n');
    expect(oneLineError(await cli('predict', '--model', model, '--question', '  ', '--context', 'Ann did.'))).toBe('error: --question is only whitespace; ask a question about the context.\n');
    expect(oneLineError(await cli('predict', '--model', model, '--question', 'Who?', '--context', ''))).toBe('error: --context is empty; pass the text that holds the answer.\n');
    const blank = join(work, 'blank.txt');
    writeFileSync(blank, ' \n\n');
    expect(oneLineError(await cli('predict', '--model', model, '--question', 'Who?', '--context-file', blank))).toBe(`error: --context-file ${blank}: no text (the file is empty or only whitespace); pass the text that holds the answer.\n`);
  });

  it("--max-length above the model's positions (train, eval) and 0 (anywhere) are refused before any data is read", async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--max-length', '1024'))).toBe(
      'error: --max-length 1024 is more than bert-tiny can take (max_position_embeddings 512); pass --max-length 512 or less.\n',
    );
    expect(oneLineError(await cli('eval', '--model', model, '--data', missing, '--max-length', '1024'))).toMatch(/^error: --max-length 1024 is more than .* can take/);
    expect(oneLineError(await cli('predict', '--model', model, '--question', 'Who?', '--context', 'Ann.', '--max-length', '0'))).toBe('error: --max-length must be an integer >= 32; got "0".\n');
    expect(oneLineError(await cli('serve', '--model', model, '--max-length', '0'))).toBe('error: --max-length must be an integer >= 32; got "0".\n');
  });

  it('start-up errors name the flag as typed: --lr before data, --port, --host, --backend', async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--out', join(work, 'never'), '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    expect(oneLineError(await cli('serve', '--model', model, '--port', 'abc'))).toBe('error: --port must be an integer in [0, 65535]; got "abc".\n');
    expect(oneLineError(await cli('serve', '--model', model, '--host', '999.1.1.1'))).toMatch(/^error: --host "999\.1\.1\.1" is not a valid IP address/);
    expect(oneLineError(await cli('predict', '--model', model, '--question', 'Who?', '--context', 'Ann.', '--backend', 'tensorflow'))).toMatch(/^error: --backend tensorflow: it needs @tensorflow\/tfjs-node .*not installed here/);
  });
});

describe('attn-qa train --config', () => {
  it("sets the app's own flags as well as the shared ones, with the same checks as typed flags", async () => {
    const config = join(work, 'qa-train.json');
    writeFileSync(config, JSON.stringify({ train: join(FIXTURES, 'data', 'squad-v1.1-2articles.json'), out: join(work, 'never'), dev: 'dev.json', devSplitArticles: 1 }));
    expect(oneLineError(await cli('train', '--config', config))).toBe('error: pass either --dev <file> or --dev-split-articles <n>, not both.\n');
    writeFileSync(config, JSON.stringify({ train: 'squad.json', out: 'o', stride: 200, maxLength: '384', cased: 'yes' }));
    expect(oneLineError(await cli('train', '--config', config))).toMatch(/^error: --config \S+qa-train\.json: "cased" \(--cased\) must be true or false; got "yes"\.$/m);
  });
});
