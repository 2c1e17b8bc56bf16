/** One entry of the log history: a logged training step or an evaluation. */
export type LogEntry = Record<string, number | string>;

/**
 * HF TrainerState plus where in the data the run is, so that a resumed run continues exactly.
 * Written to trainer_state.json in every checkpoint.
 */
export interface TrainerState {
  /** Optimizer updates so far. */
  globalStep: number;
  /** Fractional epochs completed (epochIndex + batchesInEpoch / batches per epoch). */
  epoch: number;
  /** The epoch being trained (0-based); DataLoader.setEpoch receives it. */
  epochIndex: number;
  /** Micro-batches of epochIndex already consumed; resume skips them. */
  batchesInEpoch: number;
  maxSteps: number;
  numTrainEpochs: number;
  logHistory: LogEntry[];
  bestMetric?: number;
  bestGlobalStep?: number;
  bestModelCheckpoint?: string;
  /** Examples seen during training (for throughput). */
  numInputExamples: number;
  /**
   * Losses of updates not yet logged (since the last logging step) and of the whole run, at save time, so that a
   * run resumed from a checkpoint taken between logging steps logs the same averages as one never interrupted.
   * (HF restarts these sums at zero on resume; its first log after a resume then differs.)
   */
  lossAccumulators?: LossAccumulators;
}

export interface LossAccumulators {
  logSum: number;
  logCount: number;
  totalSum: number;
  totalCount: number;
}

export function initialTrainerState(): TrainerState {
  return { globalStep: 0, epoch: 0, epochIndex: 0, batchesInEpoch: 0, maxSteps: 0, numTrainEpochs: 0, logHistory: [], numInputExamples: 0 };
}
