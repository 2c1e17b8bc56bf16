// attn-qa tune end to end on bert-tiny and two SQuAD articles (the study mechanics are tested on a
// stand-in app in @attn/cli's tune_command.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createProgram } from '../src/program';
import { oneLineError, runProgram, tuneStudyProblems } from '@attn/cli/testing';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const TOKENIZER = join(FIXTURES, 'tokenizers', 'bert-base-uncased', 'tokenizer.json');
const data = ['--train', join(FIXTURES, 'data', 'squad-v1.1-2articles.json'), '--dev-split-articles', '1', '--limit', '24', '--dev-limit', '16', '--model', 'bert-tiny', '--tokenizer', TOKENIZER, '--max-length', '128', '--stride', '32', '--batch-size', '8', '--epochs', '1', '--backend', 'wasm'];
const work = mkdtempSync(join(tmpdir(), 'attn-qa-tune-'));
// Trials run the built attn-qa (dist/cli.js), each in its own process; CI builds before it tests.
const built = existsSync(resolve(__dirname, '..', 'dist', 'cli.js'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-qa tune', () => {
  it('a space file with an empty range is one line naming the field, before any trial', async () => {
    const space = join(work, 'empty-range.json');
    writeFileSync(space, JSON.stringify({ epochs: { type: 'int', low: 3, high: 1 } }));
    expect(oneLineError(await runProgram(createProgram, ['tune', ...data, '--space', space, '--out', join(work, 'never')]))).toBe(`error: ${space}: epochs.high: empty range: high (1) must be greater than low (3)\n`);
    expect(existsSync(join(work, 'never', 'study.jsonl'))).toBe(false);
  });

  it.skipIf(!built)('a 2-trial study reports dev F1 per epoch, writes the best config (train --config takes it), the best model and charts', async () => {
    expect(await tuneStudyProblems(createProgram, data, { work, metricLabel: 'dev F1', architecture: 'BertForQuestionAnswering' })).toEqual([]);
  });
});
