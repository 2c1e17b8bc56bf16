import type { LrLambda } from './lr_scheduler';

/** HF get_constant_schedule_with_warmup: 0 → 1 over warmup, then 1. */
export function constantWithWarmup(numWarmupSteps: number): LrLambda {
  return (step) => (step < numWarmupSteps ? step / Math.max(1, numWarmupSteps) : 1);
}

/** HF get_constant_schedule: always the initial learning rate. */
export function constant(): LrLambda {
  return () => 1;
}
