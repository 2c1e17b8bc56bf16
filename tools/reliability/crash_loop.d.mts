export function builtPackagesPresent(): boolean;
export interface CrashLoopResult {
  kills: number;
  killedDuringSave: number;
  completedRuns: number;
  resumedFrom: number[];
  mismatches: { step: number; loss: number; expected: number | undefined }[];
  loadFailures: string[];
  refWallMs: number;
  finalCurveComplete: boolean;
}
export function crashLoop(o: { kills: number; workDir: string; seed?: number; maxSteps?: number; log?: (line: string) => void }): Promise<CrashLoopResult>;
export function mulberry32(seed: number): () => number;
