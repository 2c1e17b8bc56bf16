import type { LrLambda } from './lr_scheduler';

/**
 * HF get_cosine_schedule_with_warmup: linear warmup, then cosine from 1 towards 0;
 * numCycles 0.5 (default) is one half-wave ending at 0 at numTrainingSteps.
 */
export function cosineWithWarmup(numWarmupSteps: number, numTrainingSteps: number, numCycles = 0.5): LrLambda {
  return (step) => {
    if (step < numWarmupSteps) return step / Math.max(1, numWarmupSteps);
    const progress = (step - numWarmupSteps) / Math.max(1, numTrainingSteps - numWarmupSteps);
    return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  };
}
