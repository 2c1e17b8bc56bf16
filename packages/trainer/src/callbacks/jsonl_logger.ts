import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CallbackContext, TrainerCallback } from './callback';

/**
 * Appends every logged training step and every evaluation, one JSON object per line, to
 * outputDir/log.jsonl (or `path`); the final line has the run's train_* summary.
 * Lines are appended synchronously so a crash loses at most the line being written. On resume,
 * lines logged after the checkpoint's step (by the run that crashed) are dropped first, so the
 * file reads as one uninterrupted run.
 */
export class JsonlLoggerCallback implements TrainerCallback {
  constructor(private readonly path?: string) {}

  private file(ctx: CallbackContext): string {
    return this.path ?? join(ctx.args.outputDir, 'log.jsonl');
  }

  private append(ctx: CallbackContext, entry: Record<string, unknown>): void {
    const file = this.file(ctx);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
  }

  onTrainBegin(ctx: CallbackContext): void {
    const file = this.file(ctx);
    if (ctx.state.globalStep === 0 || !existsSync(file)) return;
    const kept = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => {
        if (!line.trim()) return false;
        try {
          const step = (JSON.parse(line) as { step?: unknown }).step;
          return typeof step !== 'number' || step <= ctx.state.globalStep;
        } catch {
          return false; // a line torn by the crash
        }
      });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, kept.map((l) => l + '\n').join(''));
    renameSync(tmp, file);
  }

  onLog(ctx: CallbackContext): void {
    if (ctx.logs) this.append(ctx, ctx.logs);
  }

  onTrainEnd(ctx: CallbackContext): void {
    const last = ctx.state.logHistory.at(-1);
    if (last && 'train_runtime' in last) this.append(ctx, last);
  }
}
