// The trial's side of a trial run in a child process (see process_objective.ts). The study passes the
// trial in ATTN_TUNE_TRIAL and two pipes: the trial writes events on fd 4 and reads prune decisions
// on fd 3. A report waits for its decision synchronously, so a training loop's callback can obey it
// at once. A trial whose study has died finds the pipes closed at its next report and exits.
import { readSync, writeSync } from 'node:fs';
import type { Params } from './search_space';

export const TRIAL_ENV = 'ATTN_TUNE_TRIAL';
const FROM_STUDY = 3;
const TO_STUDY = 4;

export interface TrialProcessMessage {
  op: 'report' | 'result' | 'pruned';
  step?: number;
  value?: number;
  /** NaN and ±Infinity, which JSON cannot hold. */
  nonFinite?: string;
}

const encode = (value: number) => (Number.isFinite(value) ? { value } : { nonFinite: String(value) });

/** The number a message carries (NaN / ±Infinity included), or undefined. */
export function messageValue(m: TrialProcessMessage): number | undefined {
  if (typeof m.value === 'number') return m.value;
  if (m.nonFinite !== undefined) return Number(m.nonFinite);
  return undefined;
}

/** A trial seen from inside its own process: the same report / shouldPrune as an in-process Trial. */
export class ProcessTrial {
  private pruneDecision = false;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly number: number, readonly params: Readonly<Params>) {}

  /** Sends an intermediate value and waits for the pruner's answer. */
  report(value: number, step: number): void {
    this.send({ op: 'report', step, ...encode(value) });
    this.pruneDecision = this.readDecision();
  }

  shouldPrune(): boolean {
    return this.pruneDecision;
  }

  /** The objective's final value; the process should exit 0 after it. */
  complete(value: number): void {
    this.send({ op: 'result', ...encode(value) });
  }

  /** Says the trial stopped because it was pruned (after shouldPrune() was true). */
  pruned(): void {
    this.send({ op: 'pruned' });
  }

  private send(message: TrialProcessMessage): void {
    try {
      writeSync(TO_STUDY, JSON.stringify(message) + '\n');
    } catch {
      this.orphaned();
    }
  }

  private readDecision(): boolean {
    const bytes: number[] = [];
    const buf = Buffer.alloc(1);
    for (;;) {
      let n: number;
      try {
        n = readSync(FROM_STUDY, buf, 0, 1, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(this.sleeper, 0, 0, 2);
          continue;
        }
        return this.orphaned();
      }
      if (n === 0) return this.orphaned();
      if (buf[0] === 10) break;
      bytes.push(buf[0]!);
    }
    return (JSON.parse(Buffer.from(bytes).toString('utf8')) as { prune: boolean }).prune;
  }

  private orphaned(): never {
    process.stderr.write('attn-tune: the study that started this trial is gone; stopping\n');
    process.exit(3);
  }
}

/** The trial this process was started for, or undefined when it was not started by a study. */
export function currentTrial(): ProcessTrial | undefined {
  const raw = process.env[TRIAL_ENV];
  if (!raw) return undefined;
  const { number, params } = JSON.parse(raw) as { number: number; params: Params };
  return new ProcessTrial(number, params);
}
