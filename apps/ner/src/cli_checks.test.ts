import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabelMap } from '@attn/data';
import { createProgram } from './program';
import { architectureOnlyModelDir, oneLineError, runProgram, saveRandomModel } from '@attn/cli/testing';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-checks-'));

const cli = (...args: string[]) => runProgram(createProgram, args);

describe('attn-ner refuses a model trained for another task', () => {
  it('predict, eval and serve name what the model is', async () => {
    const sentiment = architectureOnlyModelDir(work, 'BertForSequenceClassification');
    const expected = `error: --model ${sentiment} is a sequence-classification model (BertForSequenceClassification); ner needs a token-classification model.\n`;
    expect(oneLineError(await cli('predict', '--model', sentiment, 'Obama visited Paris'))).toBe(expected);
    expect(oneLineError(await cli('eval', '--model', sentiment, '--data', join(FIXTURES, 'data', 'conll2003-valid-50.txt')))).toBe(expected);
    expect(oneLineError(await cli('serve', '--model', architectureOnlyModelDir(work, 'RobertaForQuestionAnswering'), '--port', '0'))).toMatch(/is a question-answering model \(RobertaForQuestionAnswering\); ner needs a token-classification model/);
  });
});

/** `café` as ISO-8859-1 (é = E9): invalid as UTF-8. */
const CAFE_LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

describe('attn-ner: input files, empty input and start-up flags (issue #22 items 4, 7, 8, 9)', () => {
  const model = join(work, 'tagger');
  const missing = join(work, 'no-such-file.conll');
  const conll = join(work, 'latin1.conll');
  const texts = join(work, 'latin1.txt');
  writeFileSync(conll, Buffer.concat([Buffer.from('Le O\n'), CAFE_LATIN1, Buffer.from(' B-LOC\n\nParis B-LOC\n\n')]));
  writeFileSync(texts, Buffer.concat([Buffer.from('Paris\nLe '), CAFE_LATIN1, Buffer.from('\n')]));

  beforeAll(async () => {
    // Random weights: these tests are about input and flags, not accuracy.
    await saveRandomModel(model, {
      task: 'token-classification',
      labels: LabelMap.fromLabels(['O', 'B-LOC', 'I-LOC']),
      defaultTokenizer: join(FIXTURES, 'tokenizers', 'bert-base-cased', 'vocab.txt'),
      lowercase: false,
      seed: 1,
    });
  });

  it('a Latin-1 file is one line naming file and line in train, eval and predict; --encoding latin1 reads it', async () => {
    const bad = new RegExp(`^error: ${conll}:2: not valid UTF-8 \\(byte 0xE9 at byte 4 of the line\\)`);
    expect(oneLineError(await cli('train', '--train', conll, '--model', 'bert-tiny', '--out', join(work, 'never')))).toMatch(bad);
    expect(oneLineError(await cli('eval', '--model', model, '--data', conll))).toMatch(bad);
    expect(oneLineError(await cli('predict', '--model', model, '--file', texts))).toMatch(new RegExp(`^error: ${texts}:2: not valid UTF-8`));
    const predicted = await cli('predict', '--model', model, '--file', texts, '--encoding', 'latin1', '--json', '--backend', 'wasm');
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stdout.trim().split('\n').map((l) => JSON.parse(l).text)).toEqual(['Paris', 'Le café']);
    const evaluated = await cli('eval', '--model', model, '--data', conll, '--encoding', 'latin1', '--json', '--input-scheme', 'iob2', '--backend', 'wasm');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).sentences).toBe(2);
    const trained = await cli('train', '--train', conll, '--model', 'bert-tiny', '--out', join(work, 'latin1-model'), '--encoding', 'latin1', '--epochs', '1', '--save-strategy', 'no', '--quiet', '--backend', 'wasm');
    expect(trained.code, trained.stderr).toBe(0);
  });

  it('predict: an empty or whitespace-only text is an error, never a result', async () => {
    expect(oneLineError(await cli('predict', '--model', model, ''))).toBe('error: text argument 1 is empty; there is nothing to tag.\n');
    expect(oneLineError(await cli('predict', '--model', model, 'Paris', ' '))).toBe('error: text argument 2 of 2 is only whitespace; there is nothing to tag.\n');
  });

  it("train --max-length above the model's positions, and 0 anywhere, are refused before any data is read", async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--max-length', '1024'))).toBe(
      'error: --max-length 1024 is more than bert-tiny can take (max_position_embeddings 512); pass --max-length 512 or less.\n',
    );
    expect(oneLineError(await cli('eval', '--model', model, '--data', missing, '--max-length', '1024'))).toMatch(/^error: --max-length 1024 is more than .* can take/);
    expect(oneLineError(await cli('predict', '--model', model, '--max-length', '0', 'x'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
    expect(oneLineError(await cli('serve', '--model', model, '--max-length', '0'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
  });

  it('start-up errors name the flag as typed: --lr and --input-scheme before data, --port, --host, --backend', async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--out', join(work, 'never'), '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    const scheme = 'error: --input-scheme must be iob1 or iob2; got "bio".\n';
    expect(oneLineError(await cli('train', '--train', missing, '--out', join(work, 'never'), '--input-scheme', 'bio'))).toBe(scheme);
    expect(oneLineError(await cli('eval', '--model', model, '--data', missing, '--input-scheme', 'bio'))).toBe(scheme);
    expect(oneLineError(await cli('serve', '--model', model, '--port', 'abc'))).toBe('error: --port must be an integer in [0, 65535]; got "abc".\n');
    expect(oneLineError(await cli('serve', '--model', model, '--host', '999.1.1.1'))).toMatch(/^error: --host "999\.1\.1\.1" is not a valid IP address/);
    expect(oneLineError(await cli('predict', '--model', model, '--backend', 'tensorflow', 'x'))).toMatch(/^error: --backend tensorflow: it needs @tensorflow\/tfjs-node .*not installed here/);
  });
});

describe('attn-ner train --config (as attn-classify train --config)', () => {
  it('a JSON file sets any flag, required ones included; flags typed on the command line win', async () => {
    const conll = join(FIXTURES, 'data', 'conll2003-valid-50.txt');
    const config = join(work, 'ner-train.json');
    writeFileSync(config, JSON.stringify({ train: conll, out: join(work, 'never'), epochs: 0, inputScheme: 'iob2', quiet: true }));
    // The file's epochs reach the check (so its train and out satisfied the required flags); a typed --epochs replaces it.
    expect(oneLineError(await cli('train', '--config', config))).toBe('error: --epochs must be a number >= 0.01; got "0".\n');
    expect(oneLineError(await cli('train', '--epochs', '1', '--config', config, '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    writeFileSync(config, JSON.stringify({ train: conll, epoch: 2 }));
    expect(oneLineError(await cli('train', '--config', config))).toMatch(new RegExp(`^error: --config ${config}: unknown keys epoch; known: train, dev, model, .*epochs`));
  });
});
