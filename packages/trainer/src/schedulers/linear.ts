import type { LrLambda } from './lr_scheduler';

/** HF get_linear_schedule_with_warmup: 0 → 1 over warmup, then linearly to 0 at numTrainingSteps. */
export function linearWithWarmup(numWarmupSteps: number, numTrainingSteps: number): LrLambda {
  return (step) => {
    if (step < numWarmupSteps) return step / Math.max(1, numWarmupSteps);
    return Math.max(0, (numTrainingSteps - step) / Math.max(1, numTrainingSteps - numWarmupSteps));
  };
}
