import cliProgress from 'cli-progress';
import type { CallbackContext, TrainerCallback } from './callback';

export interface ProgressOptions {
  /** Where to draw / print; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
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

/**
 * Training progress. On a TTY: a cli-progress bar with step, loss, learning rate, examples/s
 * and ETA, redrawn each update. Elsewhere (CI, pipes, disableTqdm): one plain line per logging
 * step and per evaluation.
 */
export class ProgressCallback implements TrainerCallback {
  private bar?: cliProgress.SingleBar;
  private started = 0;
  private examples = 0;
  private lastLoss = NaN;
  private lastLr = NaN;
  private startStep = 0;

  constructor(private readonly opts: ProgressOptions = {}) {}

  private get stream(): NodeJS.WritableStream & { isTTY?: boolean } {
    return this.opts.stream ?? process.stderr;
  }

  private rate(): number {
    return this.examples / Math.max((performance.now() - this.started) / 1000, 1e-9);
  }

  private eta(ctx: CallbackContext): number {
    const done = ctx.state.globalStep - this.startStep;
    const perStep = (performance.now() - this.started) / 1000 / Math.max(done, 1);
    return (ctx.state.maxSteps - ctx.state.globalStep) * perStep;
  }

  onTrainBegin(ctx: CallbackContext): void {
    this.started = performance.now();
    this.examples = 0;
    this.startStep = ctx.state.globalStep;
    const plain = this.opts.plain ?? ctx.args.disableTqdm;
    if (!plain && this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: 'train |{bar}| {value}/{total} | loss {loss} | lr {lr} | {speed} ex/s | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(ctx.state.maxSteps, ctx.state.globalStep, { loss: '-', lr: '-', speed: '-' });
    }
  }

  onStepEnd(ctx: CallbackContext): void {
    this.examples += ctx.examples ?? 0;
    this.lastLoss = ctx.loss ?? NaN;
    this.lastLr = ctx.learningRate ?? NaN;
    this.bar?.update(ctx.state.globalStep, {
      loss: this.lastLoss.toFixed(4),
      lr: this.lastLr.toExponential(2),
      speed: this.rate().toFixed(1),
    });
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
      this.stream.write('\r\x1b[2K' + parts.join(' | ') + '\n');
      this.bar.render();
      return;
    }
    this.stream.write(parts.join(' | ') + '\n');
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
