import { describe, expect, it, vi } from 'vitest';
import type { ProcessTrial } from '@attn/tune';
import { StudyTrial } from './study_trial';

const fakeTrial = () => ({ number: 0, params: {}, report: vi.fn(), shouldPrune: () => false, pruned: vi.fn(), complete: vi.fn() }) as unknown as ProcessTrial & { pruned: ReturnType<typeof vi.fn>; complete: ReturnType<typeof vi.fn> };

describe('StudyTrial.stopIfPruned', () => {
  it('leaves a run the study did not prune alone', () => {
    const trial = fakeTrial();
    const model = { dispose: vi.fn() };
    const print = vi.fn();
    expect(new StudyTrial(trial, 'f1').stopIfPruned(model, 2, print)).toBe(false);
    expect([model.dispose, print, trial.pruned].map((f) => f.mock.calls.length)).toEqual([0, 0, 0]);
  });

  it('a pruned run: the model released, the study told, one line printed', () => {
    const trial = fakeTrial();
    const st = new StudyTrial(trial, 'f1');
    st.callback.pruned = true;
    st.callback.lastValue = 0.25;
    const model = { dispose: vi.fn() };
    const print = vi.fn();
    expect(st.stopIfPruned(model, 2.0, print)).toBe(true);
    expect(model.dispose).toHaveBeenCalledOnce();
    expect(trial.pruned).toHaveBeenCalledOnce();
    expect(print).toHaveBeenCalledWith('pruned by the study after epoch 2 (dev f1 0.25); not saved');
  });
});
