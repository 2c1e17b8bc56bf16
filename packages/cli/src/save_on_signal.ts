import { relative, isAbsolute } from 'node:path';
import type { CallbackContext, TrainerCallback } from '@attn/trainer';

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

/** Training stopped by a signal after writing a resumable checkpoint; runCommand exits 128 + the signal's number. */
export class TrainingInterruptedError extends Error {
  override name = 'TrainingInterruptedError';
  constructor(
    readonly signal: NodeJS.Signals,
    readonly checkpointDir: string,
    readonly step: number,
  ) {
    super(`interrupted by ${signal} after update ${step}; resumable checkpoint written to ${checkpointDir}`);
  }

  /** 130 for SIGINT, 143 for SIGTERM, as a shell reports a process the signal killed. */
  get exitCode(): number {
    return 128 + (SIGNAL_NUMBERS[this.signal] ?? 1);
  }
}

/**
 * Ctrl-C (SIGINT) or SIGTERM during training: the current update finishes, a checkpoint is written
 * (outDir/checkpoint-<step>, the epoch-end one when the update ended an epoch, so its evaluation is
 * in it) and train() rejects with TrainingInterruptedError. A second signal exits at once.
 * Handlers exist only between onTrainBegin and onTrainEnd (or dispose(), for a run that failed).
 */
export class SaveOnSignalCallback implements TrainerCallback {
  private received?: NodeJS.Signals;
  private readonly listeners = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly opts: { signals?: readonly NodeJS.Signals[]; log?: (line: string) => void } = {}) {}

  onTrainBegin(): void {
    for (const signal of this.opts.signals ?? ['SIGINT', 'SIGTERM']) {
      const listener = () => this.onSignal(signal);
      this.listeners.set(signal, listener);
      process.on(signal, listener);
    }
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.received) {
      this.dispose();
      process.stderr.write(`\n${signal} again: exiting without a checkpoint.\n`);
      process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 1));
    }
    this.received = signal;
    (this.opts.log ?? ((s) => process.stderr.write(s + '\n')))(`\n${signal}: finishing the current update and writing a checkpoint (again to quit at once)`);
  }

  onStepEnd(ctx: CallbackContext): void {
    // An update that ended an epoch is saved after the epoch's evaluation (saveStrategy epoch), or
    // at the next update; a checkpoint between the two would resume without that evaluation.
    if (this.received && !Number.isInteger(ctx.state.epoch)) ctx.control.shouldSave = true;
  }

  onSave(ctx: CallbackContext): void {
    // A run that is stopping anyway (early stopping, last update) finishes and saves its model.
    if (!this.received || ctx.control.shouldStop || ctx.state.globalStep >= ctx.state.maxSteps) return;
    this.dispose();
    throw new TrainingInterruptedError(this.received, ctx.checkpointDir!, ctx.state.globalStep);
  }

  onTrainEnd(): void {
    this.dispose();
  }

  /** Removes the signal handlers. */
  dispose(): void {
    for (const [signal, listener] of this.listeners) process.off(signal, listener);
    this.listeners.clear();
  }
}

/**
 * The command line that resumes this run from `checkpointDir`: this process's arguments with any
 * `--resume [dir]` replaced, the script path relative to the working directory.
 */
export function resumeCommandLine(checkpointDir: string, argv: readonly string[] = process.argv): string {
  const [, script = 'cli.js', ...args] = argv;
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--resume=')) continue;
    if (a === '--resume') {
      if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
      continue;
    }
    kept.push(a);
  }
  const rel = isAbsolute(script) ? relative(process.cwd(), script) : script;
  const shown = rel.startsWith('..') ? script : rel;
  return ['node', shown, ...kept, '--resume', checkpointDir].map(shellQuote).join(' ');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
