import type { TrainerCallback } from '../src/callbacks/callback';

/** The tiny classifier's settings most trainer tests use. */
export const TINY_MODEL_CONFIG = { vocabSize: 50, hidden: 16, numLabels: 2, dropout: 0.1, seed: 3 };

/** A callback that records every update's loss. */
export function lossRecorder(): TrainerCallback & { losses: number[] } {
  const rec = { losses: [] as number[], onStepEnd: (ctx: { loss?: number }) => void rec.losses.push(ctx.loss!) };
  return rec;
}
