// registerTuneCommand on a stand-in app (test/fixtures/tune_app.mjs: a `train` with no model, a few ms
// per "epoch"), so the study mechanics run in seconds; the apps' own tune tests run a real tiny model.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from '@attn/tune';
import { auditDurableWrites } from '@attn/tensor/testing';
import { oneLineError, runProgram } from './testing';
import { defaultParallel, trialThreadsEnv } from './tune_command';

const here = dirname(fileURLToPath(import.meta.url));
const APP = join(here, '..', 'test', 'fixtures', 'tune_app.mjs');
// Trials run the fixture as a script, which imports the built @attn/cli and @attn/tune (CI builds before it tests).
const built = existsSync(join(here, '..', 'dist', 'index.js')) && existsSync(join(here, '..', '..', 'tune', 'dist', 'index.js'));
const { createProgram } = (await import(APP)) as { createProgram: Parameters<typeof runProgram>[0] };
const work = mkdtempSync(join(tmpdir(), 'attn-cli-tune-'));
const fake = (...args: string[]) => runProgram(createProgram, args);
const data = ['--train', 'train.txt', '--dev', 'dev.txt'];
const file = (name: string, content: unknown) => {
  const p = join(work, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const events = (out: string): JournalEvent[] => readFileSync(join(out, 'study.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const tells = (out: string) => events(out).filter((e) => e.op === 'tell') as Extract<JournalEvent, { op: 'tell' }>[];

afterEach(() => void (delete process.env.FAKE_FAIL_ABOVE_LR, delete process.env.FAKE_EPOCH_MS));

describe('trialThreadsEnv: parallel trials split the cores', () => {
  it('gives each of N trials cores / N native threads (at least 1), nothing for one trial, and never overrides the user', () => {
    expect(trialThreadsEnv(1, 8, {})).toBeUndefined();
    expect(trialThreadsEnv(2, 2, {})).toEqual({ ATTN_NATIVE_THREADS: '1' });
    expect(trialThreadsEnv(2, 8, {})).toEqual({ ATTN_NATIVE_THREADS: '4' });
    expect(trialThreadsEnv(3, 8, {})).toEqual({ ATTN_NATIVE_THREADS: '2' });
    expect(trialThreadsEnv(4, 2, {})).toEqual({ ATTN_NATIVE_THREADS: '1' });
    expect(trialThreadsEnv(2, 2, { ATTN_NATIVE_THREADS: '2' })).toBeUndefined();
  });

  it('runs 2 trials at once by default when there are 2 or more cores, 1 on one core', () => {
    expect(defaultParallel(1)).toBe(1);
    expect(defaultParallel(2)).toBe(2);
    expect(defaultParallel(16)).toBe(2);
  });
});

describe('tune: bad input is one line naming the field, before any trial', () => {
  it.each([
    ['empty range', { lr: { type: 'float', low: 1e-3, high: 1e-5, log: true } }, 'lr.high: empty range: high (0.00001) must be greater than low (0.001)'],
    ['unknown parameter', { learning_rate: { type: 'float', low: 1e-5, high: 1e-3 } }, 'learning_rate: unknown parameter; expected one of lr, batchSize, epochs'],
    ['wrong type', { epochs: { type: 'int', low: '1', high: 3 } }, 'epochs.low: expected a finite number, found "1"'],
    ['a value train refuses', { warmupRatio: { type: 'float', low: 0, high: 2 } }, 'warmupRatio.high: train refuses 2: must be a number in [0, 1]; got "2".'],
    ['a choice train refuses', { freeze: { type: 'categorical', choices: ['none', 'botom:1'] } }, 'freeze.choices[1]: train refuses "botom:1": must be none, embeddings, all-but-head or bottom:<layers>'],
  ])('%s', async (_, space, message) => {
    const out = join(work, `bad-${Math.random().toString(36).slice(2)}`);
    const path = file(`space-${Math.random().toString(36).slice(2)}.json`, space);
    expect(oneLineError(await fake('tune', ...data, '--out', out, '--space', path))).toMatch(new RegExp(`^error: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(existsSync(join(out, 'study.jsonl'))).toBe(false);
  });

  it('a study needs --out, --dev and train\'s required flags; the common settings pass train\'s checks', async () => {
    expect(oneLineError(await fake('tune', ...data))).toBe('error: --out is required: the folder for the study journal, the trials, the best config and model.\n');
    expect(oneLineError(await fake('tune', '--train', 't', '--out', join(work, 'x')))).toBe('error: --dev is required: trials are scored by their dev score.\n');
    expect(oneLineError(await fake('tune', '--dev', 'd', '--out', join(work, 'x')))).toBe('error: --train is required (or set "train" in the --config file).\n');
    expect(oneLineError(await fake('tune', ...data, '--out', join(work, 'x'), '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    expect(oneLineError(await fake('tune', '--config', file('resume.json', { ...Object.fromEntries([['train', 't'], ['dev', 'd']]), resume: true }), '--out', join(work, 'x')))).toMatch(/^error: "resume" \(train --resume\) does not apply to tune/);
  });
});

describe.skipIf(!built)('tune on a stand-in app', () => {
  it('runs trials in child processes; a NaN trial is failed; writes the best config (train --config takes it, flags win), the best model and charts; --resume adds trials', async () => {
    const out = join(work, 'study');
    process.env.FAKE_FAIL_ABOVE_LR = '2e-3';
    const space = file('space.json', { lr: { type: 'float', low: 1e-4, high: 1e-2, log: true }, weightDecay: { type: 'float', low: 0, high: 0.1 } });
    const config = file('base.json', { train: 'train.txt', dev: 'dev.txt', epochs: 3 });
    let run: Awaited<ReturnType<typeof fake>> | undefined;
    const audit = await auditDurableWrites(work, async () => (run = await fake('tune', '--config', config, '--out', out, '--space', space, '--trials', '5', '--sampler', 'random', '--seed', '3')));
    expect(run!.code, run!.stderr).toBe(0);
    // What tune itself writes is durable: the best config, the best model, the table and charts, each trial's config.
    // (study.jsonl is appended and fsynced line by line; the rest of a trial folder is the child process's.)
    expect(audit.notDurable.filter((f) => f.startsWith('study/') && !/^study\/(study\.jsonl|trials\/trial-\d+\/(?!trial_config\.json))/.test(f))).toEqual([]);
    expect(audit.files).toEqual(expect.arrayContaining(['study/best_config.json', 'study/best-model/model.safetensors', 'study/trials.txt', 'study/history.svg', 'study/trials/trial-0/trial_config.json']));
    const ended = tells(out);
    expect(ended).toHaveLength(5);
    const asks = events(out).filter((e) => e.op === 'ask') as Extract<JournalEvent, { op: 'ask' }>[];
    // Trial 0 is train's defaults (lr 1e-3, weight decay 0.01), the best point of the stand-in's score.
    expect(asks[0]!.params).toEqual({ lr: 1e-3, weightDecay: 0.01 });
    for (const t of ended) {
      const lr = asks[t.trial]!.params.lr as number;
      expect(t.state, `trial ${t.trial} lr ${lr}`).toBe(lr > 2e-3 ? 'failed' : t.state === 'pruned' ? 'pruned' : 'complete');
    }
    expect(ended.some((t) => t.state === 'failed')).toBe(true);
    expect(run!.stdout).toContain('Best: trial 0, dev score 1.02, lr 0.001, weightDecay 0.01');
    for (const f of ['trials.txt', 'history.svg', 'param-lr.svg', 'param-weightDecay.svg', 'best-model/config.json', 'best-model/model.safetensors']) expect(existsSync(join(out, f)), f).toBe(true);
    // Only the best trial keeps its weights; each trial's settings are beside its log.
    expect(ended.filter((t) => existsSync(join(out, 'trials', `trial-${t.trial}`, 'model.safetensors'))).map((t) => t.trial)).toEqual([0]);
    expect(JSON.parse(readFileSync(join(out, 'trials', 'trial-1', 'trial_config.json'), 'utf8'))).toMatchObject({ train: 'train.txt', epochs: 3, saveStrategy: 'no', lr: asks[1]!.params.lr });

    const best = JSON.parse(readFileSync(join(out, 'best_config.json'), 'utf8'));
    expect(best).toEqual({ train: 'train.txt', dev: 'dev.txt', epochs: 3, out: join(out, 'best-retrained'), lr: 1e-3, weightDecay: 0.01 });
    const retrained = join(work, 'retrained');
    expect((await fake('train', '--config', join(out, 'best_config.json'), '--out', retrained)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(retrained, 'config.json'), 'utf8')).lr).toBe(1e-3);

    expect(oneLineError(await fake('tune', '--config', config, '--out', out, '--space', space))).toMatch(/study\.jsonl exists: pass --resume/);
    expect(oneLineError(await fake('tune', '--config', config, '--out', join(work, 'new'), '--resume'))).toMatch(/--resume: \S+study\.jsonl does not exist/);
    const more = await fake('tune', '--config', config, '--out', out, '--space', space, '--trials', '6', '--sampler', 'random', '--seed', '3', '--resume');
    expect(more.stdout).toContain('6 trials (5 already in the journal)');
    expect(tells(out).slice(0, 5)).toEqual(ended);
    expect(tells(out)).toHaveLength(6);
  });

  it('--parallel 2 runs two trials at once; --timeout starts none after it', async () => {
    const out = join(work, 'timed');
    process.env.FAKE_EPOCH_MS = '700'; // two epochs: each trial outlasts the 1 s budget
    const run = await fake('tune', ...data, '--out', out, '--trials', '50', '--parallel', '2', '--timeout', '1', '--sampler', 'random');
    expect(run.code, run.stderr).toBe(0);
    const ev = events(out);
    const asks = ev.filter((e) => e.op === 'ask') as Extract<JournalEvent, { op: 'ask' }>[];
    // Two start together; the budget has run out when either ends.
    expect(asks).toHaveLength(2);
    const firstEnd = Math.min(...tells(out).map((t) => t.time));
    expect(asks.every((a) => a.time < firstEnd)).toBe(true);
  });

  it('a study killed with SIGKILL mid-trial resumes from its journal with no duplicate and no lost completed trial', async () => {
    const out = join(work, 'killed');
    // One trial at a time (the default is 2 on 2+ cores), so exactly one trial is running when the kill comes.
    const args = [APP, 'tune', ...data, '--out', out, '--trials', '4', '--sampler', 'random', '--pruner', 'none', '--epochs', '3', '--parallel', '1'];
    const first = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, FAKE_EPOCH_MS: '150' } });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (!existsSync(join(out, 'study.jsonl'))) return;
        const ev = events(out);
        const told = new Set(ev.filter((e) => e.op === 'tell').map((e) => (e as { trial: number }).trial));
        if (told.size >= 1 && ev.some((e) => e.op === 'report' && !told.has(e.trial))) {
          clearInterval(timer);
          first.kill('SIGKILL');
          resolve();
        }
      }, 10);
      first.on('exit', () => (clearInterval(timer), reject(new Error('the study finished before it could be killed'))));
    });
    await new Promise((r) => first.once('close', r));
    const before = tells(out);
    execFileSync(process.execPath, [...args, '--resume'], { env: { ...process.env, FAKE_EPOCH_MS: '5' }, encoding: 'utf8' });
    const after = tells(out);
    expect(new Set(after.map((t) => t.trial)).size).toBe(after.length);
    for (const t of before) expect(after).toContainEqual(t);
    const interrupted = after.filter((t) => t.interrupted);
    expect(interrupted).toHaveLength(1);
    expect(after.filter((t) => !t.interrupted).every((t) => t.state === 'complete')).toBe(true);
    expect(after.filter((t) => !t.interrupted)).toHaveLength(4);
    expect(existsSync(join(out, 'best_config.json'))).toBe(true);
  });
});
