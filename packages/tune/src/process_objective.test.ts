import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Study } from './study';
import { processObjective } from './process_objective';
import { MedianPruner } from './pruners/median_pruner';
import type { JournalEvent } from './journal';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'attn-tune-proc-'));
// The child scripts import the built package (CI builds before it tests).
const trialScript = join(here, '..', 'test', 'fixtures', 'epoch_trial.mjs');
const studyScript = join(here, '..', 'test', 'fixtures', 'study_process.mjs');
const built = existsSync(join(here, '..', 'dist', 'index.js'));
if (!built) console.warn('process_objective.test: packages/tune/dist missing; run `npx nx run-many -t build -p @attn/tune` first. Skipping.');
const space = { x: { type: 'float', low: 0, high: 1 } } as const;


const node = (env: Record<string, string> = {}) => processObjective({ command: () => ({ file: process.execPath, args: [trialScript], env }) });

describe.skipIf(!built)('processObjective', () => {
  it('runs each trial in a child process and records crashes, kills and NaN as failed trials; the study goes on', async () => {
    const results = [];
    for (const how of ['crash', 'kill', 'nan']) {
      const s = Study.open({ space, direction: 'maximize', sampler: 'random', seed: 1 });
      await s.optimize(node({ FIXTURE_FAIL: `1:${how}`, FIXTURE_EPOCH_MS: '5' }), { nTrials: 3 });
      results.push(s.trials.map((t) => [t.state, t.error ?? '']));
    }
    expect(results[0]![1]![0]).toBe('failed');
    expect(results[0]![1]![1]).toMatch(/^trial process exited with code 1: .*simulated crash/);
    expect(results[1]![1]).toEqual(['failed', 'trial process killed by SIGKILL (out of memory?)']);
    expect(results[2]![1]).toEqual(['failed', 'objective returned NaN']);
    for (const r of results) expect([r[0]![0], r[2]![0]]).toEqual(['complete', 'complete']);
  });

  it('passes prune decisions back: a pruned child stops itself and the trial is pruned', async () => {
    const s = Study.open({ space, direction: 'maximize', sampler: 'random', seed: 2, pruner: new MedianPruner({ nStartupTrials: 2 }) });
    const started = Date.now();
    await s.optimize(node({ FIXTURE_EPOCH_MS: '5' }), { nTrials: 10, parallel: 2 });
    const pruned = s.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.intermediate.length).toBeLessThan(3);
    expect(s.trials.filter((t) => t.state === 'complete').every((t) => t.intermediate.length === 3)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a trial that finishes its run although the pruner said stop at its last report is complete, not pruned', async () => {
    // One epoch per trial: every report is the run's final evaluation, which the child never stops at.
    const s = Study.open({ space, direction: 'maximize', sampler: 'random', seed: 3, pruner: new MedianPruner({ nStartupTrials: 2 }) });
    await s.optimize(node({ FIXTURE_EPOCH_MS: '5', FIXTURE_EPOCHS: '1' }), { nTrials: 8 });
    const asked = s.trials.filter((t) => t.number >= 2 && t.intermediate[0]!.value < Math.max(...s.trials.slice(0, t.number).map((u) => u.intermediate[0]!.value)));
    expect(asked.length).toBeGreaterThan(0); // some reports were below the running median, so the pruner said stop
    expect(s.trials.map((t) => t.state)).toEqual(s.trials.map(() => 'complete'));
    expect(s.bestTrial!.value).toBe(Math.max(...s.trials.map((t) => t.value!)));
  });
});

describe.skipIf(!built)('a study killed with SIGKILL mid-trial', () => {
  it('resumes from its journal with no duplicate and no lost completed trial', async () => {
    const journal = join(dir, 'killed.jsonl');
    const events = (): JournalEvent[] => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
    const first = spawn(process.execPath, [studyScript, journal, trialScript, '10'], { stdio: 'ignore', env: { ...process.env, FIXTURE_EPOCH_MS: '60' } });
    // Kill it once three trials are complete and another has reported an epoch but not finished.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const ev = events();
        const told = new Set(ev.filter((e) => e.op === 'tell').map((e) => (e as { trial: number }).trial));
        const complete = ev.filter((e) => e.op === 'tell' && e.state === 'complete').length;
        const midTrial = ev.some((e) => e.op === 'report' && !told.has(e.trial));
        if (complete >= 3 && midTrial) {
          clearInterval(timer);
          first.kill('SIGKILL');
          resolve();
        }
      }, 5);
      first.on('exit', () => (clearInterval(timer), reject(new Error('the study finished before it could be killed'))));
    });
    await new Promise((r) => first.once('close', r));
    const before = events();
    const completeBefore = before.filter((e) => e.op === 'tell' && e.state === 'complete') as Extract<JournalEvent, { op: 'tell' }>[];
    const runningBefore = before.filter((e) => e.op === 'ask' && !before.some((t) => t.op === 'tell' && t.trial === e.trial)).map((e) => (e as { trial: number }).trial);
    expect(runningBefore.length).toBeGreaterThan(0);

    const out = execFileSync(process.execPath, [studyScript, journal, trialScript, '10'], { env: { ...process.env, FIXTURE_EPOCH_MS: '5' }, encoding: 'utf8' });
    expect(out).toBe('done 10\n');

    const after = events();
    const tells = after.filter((e) => e.op === 'tell') as Extract<JournalEvent, { op: 'tell' }>[];
    // No trial told twice, every trial told, the first run's completed trials unchanged.
    expect(new Set(tells.map((t) => t.trial)).size).toBe(tells.length);
    const asks = after.filter((e) => e.op === 'ask') as Extract<JournalEvent, { op: 'ask' }>[];
    expect(tells.length).toBe(asks.length);
    for (const c of completeBefore) expect(tells.find((t) => t.trial === c.trial)).toEqual(c);
    // The trials running at the kill are failed as interrupted and run again with the same params.
    for (const n of runningBefore) {
      expect(tells.find((t) => t.trial === n)).toMatchObject({ state: 'failed', interrupted: true });
      const retry = asks.find((a) => a.retryOf === n)!;
      expect(retry.params).toEqual(asks.find((a) => a.trial === n)!.params);
      expect(tells.find((t) => t.trial === retry.trial)!.state).toBe('complete');
    }
    const counted = tells.filter((t) => !t.interrupted);
    expect(counted).toHaveLength(10);
    // No completed parameter set ran twice, except as the retry of an interrupted trial.
    const completedParams = asks.filter((a) => tells.some((t) => t.trial === a.trial && t.state === 'complete')).map((a) => JSON.stringify(a.params));
    expect(new Set(completedParams).size).toBe(completedParams.length);
    const resumed = Study.open({ space, direction: 'maximize', sampler: 'tpe', seed: 7, journal });
    expect(resumed.countedTrials).toBe(10);
  });
});
