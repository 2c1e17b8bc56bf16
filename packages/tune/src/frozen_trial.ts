import type { Params } from './search_space';

export type Direction = 'maximize' | 'minimize';

/** running: asked, not told yet. failed: threw, crashed, returned NaN, or was interrupted. */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** One value the trial reported on its way, e.g. the dev metric after an epoch. */
export interface IntermediateValue {
  step: number;
  value: number;
}

/** A trial as the journal records it; samplers and pruners read these. */
export interface FrozenTrial {
  number: number;
  state: TrialState;
  params: Params;
  /** The objective (complete trials; a pruned trial keeps its last intermediate value here). */
  value?: number;
  /** Sorted by step. */
  intermediate: IntermediateValue[];
  /** Why a failed trial failed. */
  error?: string;
  /** The study stopped (killed) while this trial ran; its parameters were run again as `retriedAs`. */
  interrupted?: boolean;
  retriedAs?: number;
  startedAt: number;
  finishedAt?: number;
}

/** Minimizing form of a value: smaller is better in either direction. */
export function lossOf(value: number, direction: Direction): number {
  return direction === 'maximize' ? -value : value;
}
