import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallbackContext } from '@attn/trainer';
import { EpochEvaluationCallback } from './epoch_evaluation_callback';

/** A trainer's context with just the state this callback reads: 4 updates, 2 per epoch. */
const context = (logHistory: Array<Record<string, number>>) => ({ state: { epoch: 0, globalStep: 0, maxSteps: 4, logHistory } }) as Pick<CallbackContext, 'state'> as CallbackContext;

describe('EpochEvaluationCallback', () => {
  it('evaluates on the update that ends each epoch, logs eval_* into the history and log file, and reports', () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'attn-epoch-eval-')), 'log.jsonl');
    const scores = [{ exact_match: 10, f1: 20 }, { exact_match: 30, f1: 40 }];
    const reported: number[] = [];
    const cb = new EpochEvaluationCallback({ evaluate: () => scores.shift()!, metric: 'f1', patience: 0, logFile, report: (e) => void reported.push(e.f1) });
    const ctx = context([]);
    cb.onTrainBegin(ctx);
    for (const [epoch, step] of [[0.5, 1], [1, 2], [1.5, 3], [2, 4]] as const) {
      Object.assign(ctx.state, { epoch, globalStep: step });
      cb.onStepEnd(ctx);
    }
    expect(cb.history).toEqual([{ epoch: 1, step: 2, exact_match: 10, f1: 20 }, { epoch: 2, step: 4, exact_match: 30, f1: 40 }]);
    expect(cb.final).toEqual(cb.history[1]);
    expect(reported).toEqual([20, 40]);
    expect(ctx.state.logHistory).toEqual([{ eval_exact_match: 10, eval_f1: 20, epoch: 1, step: 2 }, { eval_exact_match: 30, eval_f1: 40, epoch: 2, step: 4 }]);
    expect(readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l).eval_f1)).toEqual([20, 40]);

    // Resumed from a checkpoint after epoch 1: its evaluation comes back from the log history.
    const resumed = new EpochEvaluationCallback({ evaluate: () => ({}), metric: 'f1', patience: 0 });
    resumed.onTrainBegin(context([{ loss: 0.5, epoch: 0.5, step: 1 }, { eval_exact_match: 10, eval_f1: 20, epoch: 1, step: 2 }]));
    expect(resumed.history).toEqual([{ epoch: 1, step: 2, exact_match: 10, f1: 20 }]);
  });
});
