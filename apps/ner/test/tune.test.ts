// attn-ner tune end to end on bert-tiny and CoNLL sentences (the study mechanics are tested on a
// stand-in app in @attn/cli's tune_command.test.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oneLineError, runProgram } from '@attn/cli/testing';
import { createProgram } from '../src/program';

const CONLL = join(resolve(__dirname, '../../../fixtures'), 'data', 'conll2003-valid-50.txt');
// Each trial runs the built CLI (dist/cli.js) in a child process: CI builds before it tests.
const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-tune-'));
const cli = (...args: string[]) => runProgram(createProgram, args);
const data = ['--train', CONLL, '--dev', CONLL, '--dev-limit', '16', '--model', 'bert-tiny', '--max-length', '32', '--batch-size', '16', '--epochs', '1', '--backend', 'wasm'];
const space = (s: unknown) => {
  const p = join(work, `space-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(s));
  return p;
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-ner tune', () => {
  it('a space file with a wrong type is one line naming the field, before any trial', async () => {
    const path = space({ batchSize: { type: 'categorical', choices: [] } });
    expect(oneLineError(await cli('tune', ...data, '--out', join(work, 'bad'), '--space', path))).toBe(`error: ${path}: batchSize.choices: expected a non-empty array, found []\n`);
    expect(existsSync(join(work, 'bad', 'study.jsonl'))).toBe(false);
  });

  it.skipIf(!existsSync(CLI))('a 2-trial study reports dev entity F1 per epoch, writes the best config (train --config takes it), the best model and charts', async () => {
    const out = join(work, 'study');
    const run = await cli('tune', ...data, '--out', out, '--trials', '2', '--space', space({ lr: { type: 'float', low: 1e-3, high: 5e-3, log: true }, warmupRatio: { type: 'float', low: 0, high: 0.2 } }));
    expect(run.code, run.stderr).toBe(0);
    const events = readFileSync(join(out, 'study.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.op === 'tell').map((e) => e.state)).toEqual(['complete', 'complete']);
    expect(events.filter((e) => e.op === 'report').map((e) => [e.trial, e.step])).toEqual([[0, 1], [1, 1]]);
    expect(run.stdout).toMatch(/Best: trial \d, dev entity F1 /);
    for (const f of ['best-model/config.json', 'best-model/model.safetensors', 'best-model/tokenizer.json', 'history.svg', 'param-lr.svg', 'param-warmupRatio.svg', 'trials.txt']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'best-model', 'config.json'), 'utf8')).architectures).toEqual(['BertForTokenClassification']);

    const retrained = join(work, 'retrained');
    const train = await cli('train', '--config', join(out, 'best_config.json'), '--out', retrained, '--quiet');
    expect(train.code, train.stderr).toBe(0);
    expect(existsSync(join(retrained, 'model.safetensors'))).toBe(true);
  });
});
