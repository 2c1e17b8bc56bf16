import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileDurableSync } from '@attn/tensor';
import type { CallbackContext, TrainerCallback } from './callback';
import { joinPath } from '../storage/store_paths';

/**
 * Appends every logged training step and every evaluation, one JSON object per line, to
 * outputDir/log.jsonl (or `path`); the final line has the run's train_* summary.
 * Lines are appended synchronously so a crash loses at most the line being written (appends are not flushed one
 * by one: a torn last line is dropped on resume). On resume, lines logged after the checkpoint's step (by the run
 * that crashed) are dropped first, so the file reads as one uninterrupted run; that rewrite replaces the file
 * durably (writeFileDurableSync), so a crash during it leaves the old log or the new, never an empty one.
 *
 * With a trainer store that is not the filesystem (a browser tab's MemoryStore or OpfsStore) the file is
 * rewritten in the store after each line, asynchronously and in order; `flushed()` waits for the last write.
 */
export class JsonlLoggerCallback implements TrainerCallback {
  private pending: Promise<void> = Promise.resolve();
  private lines: string[] = [];

  constructor(private readonly path?: string) {}

  /** Resolves once every line has reached the store (immediately with the filesystem, which is written synchronously). */
  flushed(): Promise<void> {
    return this.pending;
  }

  private file(ctx: CallbackContext): string {
    return this.path ?? joinPath(ctx.args.outputDir, 'log.jsonl');
  }

  private append(ctx: CallbackContext, entry: Record<string, unknown>): void {
    const file = this.file(ctx);
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n';
    const store = ctx.store;
    if (store && !store.isFileSystem) {
      this.pending = this.pending.then(() => {
        this.lines.push(line);
        return store.writeFile(file, this.lines.join(''));
      });
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, line);
  }

  onTrainBegin(ctx: CallbackContext): void {
    const file = this.file(ctx);
    const store = ctx.store;
    if (store && !store.isFileSystem) {
      this.pending = this.pending.then(async () => {
        const bytes = ctx.state.globalStep === 0 ? undefined : await store.readFile(file);
        this.lines = bytes ? linesUpTo(new TextDecoder().decode(bytes), ctx.state.globalStep).map((l) => l + '\n') : [];
      });
      return;
    }
    if (ctx.state.globalStep === 0 || !existsSync(file)) return;
    const kept = linesUpTo(readFileSync(file, 'utf8'), ctx.state.globalStep);
    writeFileDurableSync(file, kept.map((l) => l + '\n').join(''));
  }

  onLog(ctx: CallbackContext): void {
    if (ctx.logs) this.append(ctx, ctx.logs);
  }

  onTrainEnd(ctx: CallbackContext): void {
    const last = ctx.state.logHistory.at(-1);
    if (last && 'train_runtime' in last) this.append(ctx, last);
  }
}

/** The log's lines at or before `step` (and those without a step); a line torn by a crash is dropped. */
function linesUpTo(text: string, step: number): string[] {
  return text.split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      const at = (JSON.parse(line) as { step?: unknown }).step;
      return typeof at !== 'number' || at <= step;
    } catch {
      return false;
    }
  });
}
