import type { CallbackContext, TrainerCallback } from './callback';

/** A stream the bar can draw on: a TTY knows its width in columns. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressOptions {
  /** Where to draw / print; default process.stderr. */
  stream?: ProgressStream;
  /** Plain lines even on a TTY. Default: args.disableTqdm. */
  plain?: boolean;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

// Erase the whole line and return to its start: what follows replaces the line instead of
// overwriting it character by character (a shorter text would keep the old one's tail).
const CLEAR_LINE = '\r\x1b[2K';
const BAR_MIN = 10;
const BAR_MAX = 40;
const REDRAW_MS = 100;

/**
 * The bar's line, fitted to `width` columns: the bar shrinks first, then the learning rate, speed
 * and loss are dropped, so the step count and the ETA always show. One column is left free, so
 * the cursor never sits past the last column (where terminals wrap or overwrite).
 */
export function fitProgressLine(width: number, value: number, total: number, fields: { loss: string; lr: string; speed: string; eta: string }): string {
  const room = Math.max(1, width - 1);
  const step = `${value}/${total}`;
  const optional = [`loss ${fields.loss}`, `lr ${fields.lr}`, `${fields.speed} ex/s`];
  // Least useful first out: lr, then speed, then loss.
  for (const keep of [3, 2, 1, 0]) {
    const kept = keep === 3 ? optional : keep === 2 ? [optional[0]!, optional[2]!] : optional.slice(0, keep);
    const text = [step, ...kept, `ETA ${fields.eta}`].join(' | ');
    const barWidth = Math.min(BAR_MAX, room - `train || ${text}`.length);
    if (barWidth >= BAR_MIN) {
      const filled = total > 0 ? Math.round((Math.min(value, total) / total) * barWidth) : 0;
      return `train |${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}| ${text}`;
    }
    if (keep === 0) return `train ${text}`.slice(0, room);
  }
  return '';
}

/**
 * Training progress. On a TTY: a bar with step, loss, learning rate, examples/s and ETA, fitted to
 * the terminal's width and redrawn in place (at most every 100 ms). Elsewhere (CI, pipes, disableTqdm): one plain line per logging
 * step and per evaluation.
 */
export class ProgressCallback implements TrainerCallback {
  /** Drawing on a TTY: the bar's state. */
  private bar?: { value: number; total: number; lastDraw: number };
  private started = 0;
  private examples = 0;
  private lastLoss = NaN;
  private lastLr = NaN;
  private startStep = 0;

  constructor(private readonly opts: ProgressOptions = {}) {}

  private get stream(): ProgressStream {
    return this.opts.stream ?? process.stderr;
  }

  private get columns(): number {
    // stderr and stdout share the terminal; either may know its width.
    return this.stream.columns || process.stdout.columns || 80;
  }

  private draw(force = false): void {
    const bar = this.bar;
    if (!bar) return;
    const now = performance.now();
    if (!force && now - bar.lastDraw < REDRAW_MS) return;
    bar.lastDraw = now;
    const done = bar.value - this.startStep;
    const fields = {
      loss: Number.isFinite(this.lastLoss) ? this.lastLoss.toFixed(4) : '-',
      lr: Number.isFinite(this.lastLr) ? this.lastLr.toExponential(2) : '-',
      speed: this.examples > 0 ? this.rate().toFixed(1) : '-',
      eta: done > 0 ? formatDuration(this.etaSeconds(bar.value, bar.total)) : '?',
    };
    this.stream.write(CLEAR_LINE + fitProgressLine(this.columns, bar.value, bar.total, fields));
  }

  private rate(): number {
    return this.examples / Math.max((performance.now() - this.started) / 1000, 1e-9);
  }

  private etaSeconds(step: number, maxSteps: number): number {
    const done = step - this.startStep;
    const perStep = (performance.now() - this.started) / 1000 / Math.max(done, 1);
    return (maxSteps - step) * perStep;
  }

  private eta(ctx: CallbackContext): number {
    return this.etaSeconds(ctx.state.globalStep, ctx.state.maxSteps);
  }

  onTrainBegin(ctx: CallbackContext): void {
    this.started = performance.now();
    this.examples = 0;
    this.startStep = ctx.state.globalStep;
    const plain = this.opts.plain ?? ctx.args.disableTqdm;
    if (!plain && this.stream.isTTY) {
      this.bar = { value: ctx.state.globalStep, total: ctx.state.maxSteps, lastDraw: -Infinity };
      this.lastLoss = NaN;
      this.lastLr = NaN;
      this.draw(true);
    }
  }

  onStepEnd(ctx: CallbackContext): void {
    this.examples += ctx.examples ?? 0;
    this.lastLoss = ctx.loss ?? NaN;
    this.lastLr = ctx.learningRate ?? NaN;
    if (this.bar) {
      this.bar.value = ctx.state.globalStep;
      this.draw(this.bar.value >= this.bar.total);
    }
  }

  onLog(ctx: CallbackContext): void {
    if (!ctx.logs) return;
    const logs = ctx.logs;
    const isEval = Object.keys(logs).some((k) => k.startsWith('eval_'));
    // With a bar, step logs are the bar itself; evaluations print above it so they stay on screen.
    if (this.bar && !isEval) return;
    const parts = [`step ${ctx.state.globalStep}/${ctx.state.maxSteps || '?'}`, `epoch ${ctx.state.epoch.toFixed(2)}`];
    for (const [k, v] of Object.entries(logs)) {
      if (k === 'step' || k === 'epoch') continue;
      parts.push(`${k} ${typeof v === 'number' ? (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : Number(v.toFixed(4))) : v}`);
    }
    if (!('eval_loss' in logs) && ctx.state.maxSteps) {
      parts.push(`${this.rate().toFixed(1)} ex/s`, `ETA ${formatDuration(this.eta(ctx))}`);
    }
    if (this.bar) {
      this.stream.write(CLEAR_LINE + parts.join(' | ') + '\n');
      this.draw(true);
      return;
    }
    this.stream.write(parts.join(' | ') + '\n');
  }

  onTrainEnd(): void {
    if (!this.bar) return;
    // The last state, then a newline: whatever prints next starts on a fresh line.
    this.draw(true);
    this.stream.write('\n');
    this.bar = undefined;
  }
}
