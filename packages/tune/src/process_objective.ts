// Trials in child processes: each trial's model and memory go away with its process, and a trial
// that crashes, is killed (out of memory), or returns NaN becomes a failed trial while the study
// goes on. The child uses currentTrial() (trial_process.ts) to read its parameters, report values
// and hear prune decisions.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Objective } from './study';
import { Trial, TrialPruned } from './trial';
import { messageValue, TRIAL_ENV, type TrialProcessMessage } from './trial_process';

export interface TrialCommand {
  file: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface ProcessObjectiveOptions {
  /** The program that runs one trial (e.g. `node cli.js train --config <trial's config>`). */
  command: (trial: Trial) => TrialCommand;
  /** The child's stdout and stderr go to this file (default: discarded, the last stderr lines kept for errors). */
  logFile?: (trial: Trial) => string | undefined;
  /** Kill a trial that runs longer than this (it becomes failed). */
  trialTimeoutMs?: number;
  /** How long a pruned child may take to stop by itself before it is killed. Default 10 s. */
  pruneGraceMs?: number;
}

/** The error line of a Node crash report (`Error: ...`), else the last lines of stderr. */
function tail(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const error = lines.filter((l) => /^\s*(\w*Error|FATAL ERROR)\b/.test(l)).at(-1);
  return (error ?? lines.slice(-3).join(' | ')).trim().slice(-400);
}

/** An objective that runs each trial as a child process. */
export function processObjective(options: ProcessObjectiveOptions): Objective {
  return (trial: Trial) =>
    new Promise<number>((resolve, reject) => {
      const cmd = options.command(trial);
      const child = spawn(cmd.file, [...cmd.args], {
        cwd: cmd.cwd,
        env: { ...process.env, ...cmd.env, [TRIAL_ENV]: JSON.stringify({ number: trial.number, params: trial.params }) },
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      });
      const logPath = options.logFile?.(trial);
      const log = logPath ? createWriteStream(logPath, { flags: 'a' }) : undefined;
      let stderrTail = '';
      child.stdout!.on('data', (d: Buffer) => log?.write(d));
      child.stderr!.on('data', (d: Buffer) => {
        log?.write(d);
        stderrTail = (stderrTail + d.toString('utf8')).slice(-4000);
      });
      const toChild = child.stdio[3] as Writable;
      const fromChild = child.stdio[4] as Readable;
      toChild.on('error', () => {}); // the child may exit before reading its last answer
      let result: number | undefined;
      // The pruner's answer is only a request: a child at its final evaluation finishes anyway (as @attn/trainer's
      // PruningCallback does) and sends its result. The trial is pruned when the child says so, or when it had to be
      // killed after the request without sending a result.
      let pruneAsked = false;
      let childPruned = false;
      let killTimer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const timers: NodeJS.Timeout[] = [];
      if (options.trialTimeoutMs !== undefined) {
        timers.push(setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), options.trialTimeoutMs));
      }
      createInterface({ input: fromChild }).on('line', (line) => {
        let m: TrialProcessMessage;
        try {
          m = JSON.parse(line) as TrialProcessMessage;
        } catch {
          return;
        }
        const value = messageValue(m);
        if (m.op === 'report' && typeof m.step === 'number' && value !== undefined) {
          trial.report(value, m.step);
          const prune = trial.shouldPrune();
          if (prune && !pruneAsked) {
            pruneAsked = true;
            killTimer = setTimeout(() => child.kill('SIGKILL'), options.pruneGraceMs ?? 10_000);
          }
          toChild.write(JSON.stringify({ prune }) + '\n');
        } else if (m.op === 'result' && value !== undefined) {
          result = value;
          clearTimeout(killTimer); // it finished its run: let it exit by itself
        } else if (m.op === 'pruned') {
          childPruned = true;
        }
      });
      child.on('error', (e) => reject(new Error(`could not start the trial process ${cmd.file}: ${e.message}`)));
      child.on('close', (code, signal) => {
        timers.forEach(clearTimeout);
        clearTimeout(killTimer);
        log?.end();
        if (childPruned || (pruneAsked && result === undefined)) return reject(new TrialPruned());
        if (timedOut) return reject(new Error(`trial process killed after the ${options.trialTimeoutMs} ms trial timeout`));
        if (signal) {
          const why = signal === 'SIGKILL' ? ' (out of memory?)' : '';
          return reject(new Error(`trial process killed by ${signal}${why}${stderrTail ? ': ' + tail(stderrTail) : ''}`));
        }
        if (code !== 0) {
          const oom = /heap out of memory|Cannot allocate|RangeError: Array buffer allocation failed|WebAssembly.Memory/i.test(stderrTail) ? ' (out of memory)' : '';
          return reject(new Error(`trial process exited with code ${code}${oom}${stderrTail ? ': ' + tail(stderrTail) : ''}`));
        }
        if (result === undefined) return reject(new Error('trial process exited without a result (it must call currentTrial().complete(value))'));
        resolve(result);
      });
    });
}
