// attn-ner tune end to end on bert-tiny and CoNLL sentences (the study mechanics are tested on a
// stand-in app in @attn/cli's tune_command.test.ts).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oneLineError, runProgram, tuneStudyProblems } from '@attn/cli/testing';
import { createProgram } from '../src/program';

const CONLL = join(resolve(__dirname, '../../../fixtures'), 'data', 'conll2003-valid-50.txt');
// Each trial runs the built CLI (dist/cli.js) in a child process: CI builds before it tests.
const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-tune-'));
const data = ['--train', CONLL, '--dev', CONLL, '--dev-limit', '16', '--model', 'bert-tiny', '--max-length', '32', '--batch-size', '16', '--epochs', '1', '--backend', 'wasm'];
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-ner tune', () => {
  it('a space file with a wrong type is one line naming the field, before any trial', async () => {
    const path = join(work, 'bad-space.json');
    writeFileSync(path, '{"dropout": {"type": "float", "low": 0, "high": "0.3"}}');
    const run = await runProgram(createProgram, ['tune', ...data, '--out', join(work, 'bad'), '--space', path]);
    expect(oneLineError(run)).toBe(`error: ${path}: dropout.high: expected a finite number, found "0.3"\n`);
    expect(existsSync(join(work, 'bad', 'study.jsonl'))).toBe(false);
  });

  it.skipIf(!existsSync(CLI))('a 2-trial study reports dev entity F1 per epoch, writes the best config (train --config takes it), the best model and charts', async () => {
    expect(await tuneStudyProblems(createProgram, data, { work, metricLabel: 'dev entity F1', architecture: 'BertForTokenClassification' })).toEqual([]);
  });
});
