export function builtSavePackagesPresent(): boolean;
export interface SaveCrashLoopResult {
  kills: number;
  /** Kills that left a temporary file behind, i.e. landed inside a write. */
  killedMidWrite: number;
  /** Aimed kills per target file. */
  aimedAt: Record<string, number>;
  /** One line per kill after which the directory did not load as the last complete generation or the next. */
  failures: string[];
}
export function saveCrashLoop(o: { kills: number; workDir: string; seed?: number; log?: (line: string) => void }): Promise<SaveCrashLoopResult>;
