// attn-classify tune end to end on bert-tiny (the study mechanics — resume, SIGKILL, failed trials —
// are tested on a stand-in app in @attn/cli's tune_command.test.ts).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLineError, runProgram } from '@attn/cli/testing';
import { APP_DATA } from './model_source';
import { createProgram } from './program';
import { parseTrainArgs } from './train_args';

const work = mkdtempSync(join(tmpdir(), 'attn-classify-tune-'));
// Each trial runs the built CLI (dist/cli.js) in a child process: CI builds before it tests.
const CLI = resolve(APP_DATA, '..', 'dist', 'cli.js');
const small = join(work, 'train.tsv');
const dev = join(work, 'dev.tsv');
{
  const lines = readFileSync(join(APP_DATA, 'sst2-train-4k.tsv'), 'utf8').split('\n');
  writeFileSync(small, lines.slice(0, 97).join('\n') + '\n');
  writeFileSync(dev, readFileSync(join(APP_DATA, 'sst2-dev.tsv'), 'utf8').split('\n').slice(0, 49).join('\n') + '\n');
}
const cli = (...args: string[]) => runProgram(createProgram, args);
const data = ['--train', small, '--dev', dev, '--model', 'bert-tiny', '--max-length', '32', '--backend', 'wasm'];
const spaceFile = (space: unknown) => {
  const p = join(work, `space-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(space));
  return p;
};

describe('attn-classify tune: a bad space file is one line naming the field, before any trial', () => {
  it.each([
    [{ loraRank: { type: 'int', low: -1, high: 4 } }, 'loraRank.low: train refuses -1: must be an integer >= 0; got "-1".'],
    [{ freeze: { type: 'categorical', choices: ['none', 'botom:1'] } }, 'freeze.choices[1]: train refuses "botom:1": must be none, embeddings, all-but-head or bottom:<layers>; got "botom:1".'],
    [{ maxLength: { type: 'int', low: 16, high: 64 } }, 'maxLength: unknown parameter; expected one of lr, batchSize, epochs, weightDecay, warmupRatio, dropout, freeze, optimizer, maxGradNorm, patience, seed, scheduler, loraRank'],
  ])('%j', async (space, message) => {
    const out = join(work, `bad-${Math.random().toString(36).slice(2)}`);
    const path = spaceFile(space);
    expect(oneLineError(await cli('tune', ...data, '--out', out, '--space', path))).toBe(`error: ${path}: ${message}\n`);
    expect(existsSync(join(out, 'study.jsonl'))).toBe(false);
  });
});

describe.skipIf(!existsSync(CLI))('attn-classify tune on a tiny model', () => {
  it('runs trials in child processes scored by dev accuracy per epoch; writes the best config (train --config takes it, flags win), the best model and charts', async () => {
    const out = join(work, 'study');
    const space = spaceFile({ lr: { type: 'float', low: 1e-4, high: 3e-3, log: true }, epochs: { type: 'int', low: 1, high: 2 } });
    const run = await cli('tune', ...data, '--out', out, '--trials', '2', '--space', space, '--seed', '1');
    expect(run.code, run.stderr).toBe(0);
    const events = readFileSync(join(out, 'study.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const tells = events.filter((e) => e.op === 'tell');
    expect(tells.map((t) => t.state).every((s) => s === 'complete' || s === 'pruned')).toBe(true);
    expect(tells).toHaveLength(2);
    expect(events.filter((e) => e.op === 'report' && e.trial === 0).length).toBeGreaterThan(0);
    const best = /Best: trial (\d), dev accuracy ([\d.]+)/.exec(run.stdout);
    expect(best, run.stdout).not.toBeNull();
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(existsSync(join(out, 'best-model', f))).toBe(true);
    // An HF model config, not the trial's train settings (those are trial_config.json).
    expect(JSON.parse(readFileSync(join(out, 'best-model', 'config.json'), 'utf8')).architectures).toEqual(['BertForSequenceClassification']);
    for (const f of ['history.svg', 'param-lr.svg', 'param-epochs.svg', 'trials.txt']) expect(existsSync(join(out, f))).toBe(true);

    const bestParams = events.find((e) => e.op === 'ask' && e.trial === Number(best![1])).params;
    const cfg = await parseTrainArgs(['--config', join(out, 'best_config.json'), '--seed', '7']);
    expect(cfg).toMatchObject({ lr: bestParams.lr, epochs: bestParams.epochs, model: 'bert-tiny', maxLength: 32, seed: 7, out: join(out, 'best-retrained') });
  });
});
