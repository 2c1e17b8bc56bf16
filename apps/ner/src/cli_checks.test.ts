import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LabelMap } from '@attn/data';
import { saveTokenizer } from '@attn/pipelines';
import { loadModelSource } from '@attn/cli';
import { createProgram } from './program';
import { REPO_FIXTURES } from './repo_fixtures';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-checks-'));

/** Runs `attn-ner ...args`: what it wrote to stdout / stderr and the exit code it set. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  process.exitCode = 0;
  try {
    await createProgram((p) => p.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) })).parseAsync(['node', 'attn-ner', ...args]);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('commander.')) process.exitCode = (e as { exitCode?: number }).exitCode ?? 1;
    else throw e;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

/** A model directory whose config.json names `architecture` (the check runs before any weights are read). */
function modelDir(architecture: string): string {
  const dir = join(work, architecture);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: [architecture], model_type: 'bert' }));
  writeFileSync(join(dir, 'model.safetensors'), '');
  return dir;
}

function oneLine(r: { stderr: string; code: number }): string {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  return r.stderr;
}

describe('attn-ner refuses a model trained for another task', () => {
  it('predict, eval and serve name what the model is', async () => {
    const sentiment = modelDir('BertForSequenceClassification');
    const expected = `error: --model ${sentiment} is a sequence-classification model (BertForSequenceClassification); ner needs a token-classification model.\n`;
    expect(oneLine(await cli('predict', '--model', sentiment, 'Obama visited Paris'))).toBe(expected);
    expect(oneLine(await cli('eval', '--model', sentiment, '--data', join(FIXTURES, 'data', 'conll2003-valid-50.txt')))).toBe(expected);
    expect(oneLine(await cli('serve', '--model', modelDir('RobertaForQuestionAnswering'), '--port', '0'))).toMatch(/is a question-answering model \(RobertaForQuestionAnswering\); ner needs a token-classification model/);
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
    const source = await loadModelSource('bert-tiny', {
      task: 'token-classification',
      labels: LabelMap.fromLabels(['O', 'B-LOC', 'I-LOC']),
      defaultTokenizer: join(REPO_FIXTURES, 'tokenizers', 'bert-base-cased', 'vocab.txt'),
      lowercase: false,
      seed: 1,
    });
    await source.model.savePretrained(model);
    await saveTokenizer(source.tokenizer, model);
    source.model.dispose();
  });

  it('a Latin-1 file is one line naming file and line in train, eval and predict; --encoding latin1 reads it', async () => {
    const bad = new RegExp(`^error: ${conll}:2: not valid UTF-8 \\(byte 0xE9 at byte 4 of the line\\)`);
    expect(oneLine(await cli('train', '--train', conll, '--model', 'bert-tiny', '--out', join(work, 'never')))).toMatch(bad);
    expect(oneLine(await cli('eval', '--model', model, '--data', conll))).toMatch(bad);
    expect(oneLine(await cli('predict', '--model', model, '--file', texts))).toMatch(new RegExp(`^error: ${texts}:2: not valid UTF-8`));
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
    expect(oneLine(await cli('predict', '--model', model, ''))).toBe('error: text argument 1 is empty; there is nothing to tag.\n');
    expect(oneLine(await cli('predict', '--model', model, 'Paris', ' '))).toBe('error: text argument 2 of 2 is only whitespace; there is nothing to tag.\n');
  });

  it("train --max-length above the model's positions, and 0 anywhere, are refused before any data is read", async () => {
    expect(oneLine(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--max-length', '1024'))).toBe(
      'error: --max-length 1024 is more than bert-tiny can take (max_position_embeddings 512); pass --max-length 512 or less.\n',
    );
    expect(oneLine(await cli('eval', '--model', model, '--data', missing, '--max-length', '1024'))).toMatch(/^error: --max-length 1024 is more than .* can take/);
    expect(oneLine(await cli('predict', '--model', model, '--max-length', '0', 'x'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
    expect(oneLine(await cli('serve', '--model', model, '--max-length', '0'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
  });

  it('start-up errors name the flag as typed: --lr before data, --port, --host, --backend', async () => {
    expect(oneLine(await cli('train', '--train', missing, '--out', join(work, 'never'), '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    expect(oneLine(await cli('serve', '--model', model, '--port', 'abc'))).toBe('error: --port must be an integer in [0, 65535]; got "abc".\n');
    expect(oneLine(await cli('serve', '--model', model, '--host', '999.1.1.1'))).toMatch(/^error: --host "999\.1\.1\.1" is not a valid IP address/);
    expect(oneLine(await cli('predict', '--model', model, '--backend', 'tensorflow', 'x'))).toMatch(/^error: --backend tensorflow: it needs @tensorflow\/tfjs-node .*not installed here/);
  });
});
