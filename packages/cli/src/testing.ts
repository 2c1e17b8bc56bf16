// @attn/cli/testing: running an app's command tree in-process in tests, and the files it leaves.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Command } from 'commander';
import { loadModelSource, type ModelSourceOptions } from './model_source';
import { saveTrained } from './training_run';
import { runCommand } from './cli_error';

export interface ProgramRun {
  stdout: string;
  stderr: string;
  /** The exit code the command set (process.exitCode), commander's own usage errors included. */
  code: number;
}

/**
 * Runs `<name> ...args` on a fresh command tree from `createProgram` (an app's program.ts), in this
 * process: what it wrote to stdout / stderr (console.log / warn / error included, which test runners
 * reroute) and the exit code it set. process.exitCode is left at 0.
 */
export async function runProgram(createProgram: (configure: (program: Command) => void) => Command, args: readonly string[]): Promise<ProgramRun> {
  let stdout = '';
  let stderr = '';
  const [writeOut, writeErr] = [process.stdout.write, process.stderr.write];
  const [log, warn, error] = [console.log, console.warn, console.error];
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  console.log = (...a: unknown[]) => void (stdout += format(...a) + '\n');
  console.warn = console.error = (...a: unknown[]) => void (stderr += format(...a) + '\n');
  process.exitCode = 0;
  try {
    const program = createProgram((p) => p.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) }));
    await program.parseAsync(['node', program.name(), ...args]);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('commander.')) process.exitCode = (e as { exitCode?: number }).exitCode ?? 1;
    else throw e;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    Object.assign(console, { log, warn, error });
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

function findCommand(createProgram: (configure: (program: Command) => void) => Command, command: string): Command {
  const program = createProgram(() => {});
  const cmd = program.commands.find((c) => c.name() === command);
  if (!cmd) throw new Error(`${program.name()} has no command ${JSON.stringify(command)}`);
  return cmd;
}

/** The default commander fills in for `flag` (e.g. '--lr') of `command` in an app's command tree; throws naming what is missing. */
export function optionDefault(createProgram: (configure: (program: Command) => void) => Command, command: string, flag: string): unknown {
  const cmd = findCommand(createProgram, command);
  const option = cmd.options.find((o) => o.long === flag || o.short === flag);
  if (!option) throw new Error(`${cmd.parent?.name()} ${command} has no option ${flag}`);
  return option.defaultValue;
}

/**
 * Every default of `command`'s options, by the names its action receives them under (`--batch-size` → batchSize):
 * the flags a run without them gets. Tests spread it under their own flags instead of copying the defaults.
 */
export function optionDefaults(createProgram: (configure: (program: Command) => void) => Command, command: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of findCommand(createProgram, command).options) if (o.defaultValue !== undefined) out[o.attributeName()] = o.defaultValue;
  return out;
}

/** The one-line error of a run that failed with exit code 1; throws, showing the run, if it did anything else. */
export function oneLineError(run: ProgramRun): string {
  if (run.code !== 1 || run.stderr.trim().split('\n').length !== 1) {
    throw new Error(`expected exit code 1 and one line on stderr; got code ${run.code}, stderr:\n${run.stderr}`);
  }
  return run.stderr;
}

/** A model directory `dir/<architecture>` whose config.json names `architecture`, with empty weights (for checks that run before any weight is read). */
export function architectureOnlyModelDir(dir: string, architecture: string): string {
  const model = join(dir, architecture);
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'config.json'), JSON.stringify({ architectures: [architecture], model_type: 'bert' }));
  writeFileSync(join(model, 'model.safetensors'), '');
  return model;
}

/** The training losses a run's log.jsonl recorded (its logging-step entries, not evaluations), in order. */
export function loggedTrainingLosses(outDir: string): number[] {
  return readFileSync(join(outDir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => typeof e.loss === 'number' && e.learning_rate !== undefined)
    .map((e) => e.loss as number);
}

/**
 * Runs `train ...args` on an app's command tree with `--out` a fresh temporary directory, no checkpoints, a log entry
 * every step and no progress output: the training losses its log.jsonl recorded, in order. Throws with the run's stderr
 * when it fails. The directory is removed.
 */
export async function trainingLosses(createProgram: (configure: (program: Command) => void) => Command, args: readonly string[]): Promise<number[]> {
  const out = mkdtempSync(join(tmpdir(), 'attn-train-losses-'));
  try {
    const run = await runProgram(createProgram, ['train', ...args, '--out', out, '--save-strategy', 'no', '--logging-steps', '1', '--quiet']);
    if (run.code !== 0) throw new Error(`train ${args.join(' ')} exited with code ${run.code}:\n${run.stderr}`);
    return loggedTrainingLosses(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A BERT-tiny of random weights for `opts.task`, saved to `dir` with its tokenizer (for tests about input and flags, not accuracy). */
export async function saveRandomModel(dir: string, opts: ModelSourceOptions): Promise<string> {
  const { model, tokenizer } = await loadModelSource('bert-tiny', opts);
  try {
    await saveTrained(model, tokenizer, dir);
  } finally {
    model.dispose();
  }
  return dir;
}

/**
 * Runs `train` (an app's train function, checkpointing into `outDir`) as a command would run it, and
 * sends this process `signal` as soon as the first checkpoint-<step> appears there (while training
 * listens for it): the exit code it set (130 for SIGINT) and what it wrote to stderr. process.exitCode is left at 0.
 */
export async function runInterruptedAtFirstCheckpoint(outDir: string, signal: NodeJS.Signals, train: () => Promise<unknown>): Promise<{ code: number; stderr: string }> {
  mkdirSync(outDir, { recursive: true });
  const watcher = watch(outDir, (_, name) => {
    if (String(name).startsWith('checkpoint-') && process.listenerCount(signal) > 0) {
      watcher.close();
      process.kill(process.pid, signal);
    }
  });
  let stderr = '';
  const writeErr = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    await runCommand(() => train().then(() => {}));
  } finally {
    process.stderr.write = writeErr;
    watcher.close();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stderr };
}
export { tuneStudyProblems } from './tune_testing';
export type { TuneStudyExpectations } from './tune_testing';
