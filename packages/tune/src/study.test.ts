import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Study } from './study';
import { TrialPruned } from './trial';
import { JournalError } from './journal';
import { trialsTable } from './trials_table';

const space = { x: { type: 'float', low: -2, high: 2 }, n: { type: 'int', low: 1, high: 4 } } as const;
const dir = mkdtempSync(join(tmpdir(), 'attn-study-'));

describe('Study', () => {
  it('keeps the best trial in the chosen direction', async () => {
    const min = Study.open({ space, sampler: 'random', seed: 1 });
    await min.optimize((t) => (t.params.x as number) ** 2, { nTrials: 20 });
    const max = Study.open({ space, sampler: 'random', seed: 1, direction: 'maximize' });
    await max.optimize((t) => (t.params.x as number) ** 2, { nTrials: 20 });
    expect(min.bestValue).toBe(Math.min(...min.trials.map((t) => t.value!)));
    expect(max.bestValue).toBe(Math.max(...max.trials.map((t) => t.value!)));
    expect(max.bestParams).toEqual(max.bestTrial!.params);
  });

  it('records a throwing or NaN trial as failed and goes on; a TrialPruned as pruned', async () => {
    const s = Study.open({ space, sampler: 'random', seed: 2 });
    await s.optimize(
      (t) => {
        if (t.number === 1) throw new Error('out of memory');
        if (t.number === 2) return Number.NaN;
        if (t.number === 3) {
          t.report(0.5, 1);
          throw new TrialPruned();
        }
        return 1;
      },
      { nTrials: 5 },
    );
    expect(s.trials.map((t) => t.state)).toEqual(['complete', 'failed', 'failed', 'pruned', 'complete']);
    expect(s.trials[1]!.error).toBe('out of memory');
    expect(s.trials[2]!.error).toBe('objective returned NaN');
    expect(s.trials[3]!.value).toBe(0.5);
  });

  it('stops at the time budget and runs trials in parallel', async () => {
    const s = Study.open({ space, sampler: 'random' });
    let running = 0;
    let peak = 0;
    const started = Date.now();
    await s.optimize(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return 0;
      },
      { timeoutMs: 200, parallel: 3 },
    );
    expect(peak).toBe(3);
    expect(Date.now() - started).toBeLessThan(400);
    expect(s.trials.length).toBeGreaterThan(5);
  });

  it('resumes from its journal without repeating finished trials, and reruns an interrupted one', async () => {
    const journal = join(dir, 'resume.jsonl');
    const first = Study.open({ space, sampler: 'tpe', seed: 4, journal });
    await first.optimize((t) => (t.params.x as number) ** 2, { nTrials: 12 });
    // A trial in flight when the process died: asked and reported, never told.
    const cut = first.ask()!;
    first.report(cut.number, 1, 0.3);

    const resumed = Study.open({ space, sampler: 'tpe', seed: 4, journal });
    expect(resumed.trials.slice(0, 12)).toEqual(first.trials.slice(0, 12));
    expect(resumed.trials[12]).toMatchObject({ state: 'failed', interrupted: true });
    await resumed.optimize((t) => (t.params.x as number) ** 2, { nTrials: 20 });
    expect(resumed.countedTrials).toBe(20);
    expect(resumed.trials[13]!.params).toEqual(resumed.trials[12]!.params);
    expect(resumed.trials[12]!.retriedAs).toBe(13);

    // Same trajectory as a study that was never interrupted (per-trial random streams).
    const straight = Study.open({ space, sampler: 'tpe', seed: 4 });
    await straight.optimize((t) => (t.params.x as number) ** 2, { nTrials: 13 });
    expect(resumed.trials[13]!.params).toEqual(straight.trials[12]!.params);
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ op: 'study', direction: 'minimize', sampler: 'tpe', seed: 4 });
  });

  it('refuses to resume a journal written for another space or direction', () => {
    const journal = join(dir, 'other.jsonl');
    Study.open({ space, journal });
    expect(() => Study.open({ space: { ...space, n: { type: 'int', low: 1, high: 8 } }, journal })).toThrow(JournalError);
    expect(() => Study.open({ space: { ...space, n: { type: 'int', low: 1, high: 8 } }, journal })).toThrow('parameter "n" differs');
    expect(() => Study.open({ space, journal, direction: 'maximize' })).toThrow('use the same direction or a new journal');
  });

  it('runs enqueued parameters first, once', async () => {
    const s = Study.open({ space, sampler: 'random' });
    s.enqueue({ x: 0.5, n: 2 });
    await s.optimize(() => 1, { nTrials: 2 });
    s.enqueue({ x: 0.5, n: 2 });
    await s.optimize(() => 1, { nTrials: 3 });
    expect(s.trials[0]!.params).toEqual({ x: 0.5, n: 2 });
    expect(s.trials.filter((t) => t.params.x === 0.5)).toHaveLength(1);
  });

  it('prints a trials table with params, state and per-step values', async () => {
    const s = Study.open({ space, sampler: 'random', seed: 9, direction: 'maximize' });
    await s.optimize((t) => {
      t.report(0.5, 1);
      t.report(0.75, 2);
      return 0.75;
    }, { nTrials: 2 });
    const table = trialsTable(s.trials, s.space, { best: s.bestTrial!.number });
    expect(table.split('\n')[0]).toBe('#   state     value  x       n  per step');
    expect(table).toContain('0*  complete  0.75');
    expect(table).toContain('0.5 0.75');
  });
});
