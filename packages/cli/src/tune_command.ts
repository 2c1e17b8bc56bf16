// `<app> tune`: hyperparameter search over an app's `train` command. Each trial is `train --config
// <trial_config.json>` in its own process (@attn/tune's processObjective), scored by the dev metric it
// reports after every epoch (StudyTrial); the study journal makes a killed search resumable.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { copyFile, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { syncDirectory, tempPathBeside, writeFileDurable, writeFileDurableSync } from '@attn/tensor/durable_write';
import { JournalError, Study, createPruner, formatValue, historySvg, paramSvg, processObjective, prunerNames, samplerNames, trialsTable, type FrozenTrial } from '@attn/tune';
import { CliError, runCommand } from './cli_error';
import { numberFlag } from './number_flag';
import { readConfigFile } from './config_file';
import { parseTrainingFlags, type TrainingFlags } from './train_options';
import { TUNABLE_TRAINING_SETTINGS, asFlagValues, defaultTuneSpace, defaultsInSpace, readTuneSpace, type DefaultSpaceRanges } from './tune_space';

/** What an app tells `tune` about its `train` command; the flags themselves are read from that command. */
export interface TuneCommandSpec {
  /** The app as a user types it, for messages: `attn-ner`. */
  app: string;
  /** The built script each trial runs as `node <cli> train --config <trial_config.json>` (the app's dist/cli.js). */
  cli: string;
  /** The dev metric `train` reports to the study after every epoch, as its evaluation names it (`accuracy`, `f1`); greater is better. */
  metric: string;
  /** The metric in words, for output and charts: `dev accuracy`, `dev entity F1`. */
  metricLabel: string;
  /** `--model` when none is given (a preset's default space searches dropout too). */
  defaultModel: string;
  /** The default space's learning rate, batch sizes and epochs for this task. */
  defaultRanges: DefaultSpaceRanges;
  /** Checks train's flags as its action receives them (defaults applied), throwing train's one-line CliError. Default: parseTrainingFlags. */
  check?: (flags: Record<string, unknown>) => void;
  /** Settings a space may name beyond the shared training flags (classify: loraRank, scheduler). */
  extraTunable?: readonly string[];
  /** The settings that give `train` a dev set (default `dev`); trials are scored on it, so one is required. */
  devSettings?: readonly string[];
}

/** tune's own flags, parsed. */
export interface TuneOptions {
  trials: number;
  space?: string;
  sampler: string;
  pruner: string;
  /** No pruning before this epoch (median: nWarmupSteps; asha: the first rung). */
  pruneAfter?: number;
  parallel: number;
  /** Seconds; no new trial starts after it. */
  timeout?: number;
  resume: boolean;
  /** The sampler's seed; trials train with train's seed. */
  seed: number;
}

/** tune's own options; every other option of `train` is taken as a train setting for the trials. */
const TUNE_KEYS = ['config', 'trials', 'space', 'sampler', 'pruner', 'pruneAfter', 'parallel', 'timeout', 'resume', 'seed'];
/** Train options tune sets itself: trials write no checkpoints. */
const NOT_COPIED = ['saveStrategy', 'saveSteps', 'saveTotalLimit'];

/** What tune reads off the app's `train` command. */
interface TrainCommandFacts {
  /** Every train option name (the --config keys). */
  keys: string[];
  /** Commander's defaults, as the train action receives them. */
  defaults: Record<string, unknown>;
  /** Options train requires (`train`, `out`). */
  required: string[];
}

/**
 * Adds `tune` to an app's command tree, after its `train` command: train's flags (the trials' common
 * settings), `--config`, and `--trials --space --sampler --pruner --prune-after --parallel --timeout
 * --resume --seed`. Writes study.jsonl, trials/trial-<n>/, best_config.json (accepted by `train
 * --config`), best-model/ (HF format), history.svg, param-<name>.svg and trials.txt to `--out`.
 */
export function registerTuneCommand(program: Command, spec: TuneCommandSpec): Command {
  const train = program.commands.find((c) => c.name() === 'train');
  if (!train) throw new Error('registerTuneCommand: register the app\'s train command first');
  const facts: TrainCommandFacts = { keys: [], defaults: {}, required: [] };
  const cmd = program
    .command('tune')
    .description(`search hyperparameters: each trial is a \`train\` run in its own process, scored by its ${spec.metricLabel} after every epoch; writes the best config, the best model and charts`)
    .option('--config <file>', 'train settings the trials start from (JSON, as train --config); flags on the command line win');
  for (const o of train.options) {
    const key = o.attributeName();
    if (key === 'config') continue;
    facts.keys.push(key);
    if (o.defaultValue !== undefined) facts.defaults[key] = o.defaultValue;
    if (o.mandatory) facts.required.push(key);
    if (TUNE_KEYS.includes(key) || NOT_COPIED.includes(key)) continue;
    const description = key === 'out' ? 'the study folder: study.jsonl journal, trials/, best_config.json, best-model/, charts (required)' : `as train: ${o.description}`;
    const copy = new Option(o.flags, description);
    if (o.argChoices) copy.choices(o.argChoices);
    cmd.addOption(copy);
  }
  cmd
    .option('--trials <n>', 'trials in the study, counting those already in a resumed journal (default 20)')
    .option('--space <file>', `JSON search space over train settings, e.g. {"lr": {"type": "float", "low": 1e-5, "high": 1e-3, "log": true}} (default: lr, batchSize, epochs, weightDecay, warmupRatio, freeze, and dropout for a preset model)`)
    .addOption(new Option('--sampler <name>', 'tpe (multivariate) | tpe-independent | random | grid').choices(samplerNames()).default('tpe'))
    .addOption(new Option('--pruner <name>', 'stop weak trials after an epoch: median | asha | none').choices(prunerNames()).default('median'))
    .option('--prune-after <epochs>', 'no pruning before this epoch (median: warm-up steps; asha: the first rung; default 1)')
    .option('--parallel <n>', `trials at once, each its own process with cores / n native threads (default ${defaultParallel()}: 2 when there are 2 or more cores)`)
    .option('--timeout <seconds>', 'start no new trial after this many seconds')
    .option('--resume', 'continue the study journal in --out')
    .option('--seed <n>', "the sampler's seed (default 0); trials train with train's seed (set it in --config)")
    .action((flags: Record<string, unknown>) =>
      runCommand(async () => {
        const given: Record<string, unknown> = typeof flags.config === 'string' ? readConfigFile(flags.config, facts.keys) : {};
        for (const [k, v] of Object.entries(flags)) if (!TUNE_KEYS.includes(k) && v !== undefined) given[k] = v;
        const opts: TuneOptions = {
          trials: flags.trials === undefined ? 20 : numberFlag('trials', flags.trials as string, { int: true, min: 1 }),
          space: flags.space as string | undefined,
          sampler: flags.sampler as string,
          pruner: flags.pruner as string,
          pruneAfter: flags.pruneAfter === undefined ? undefined : numberFlag('prune-after', flags.pruneAfter as string, { int: true, min: 1 }),
          parallel: flags.parallel === undefined ? defaultParallel() : numberFlag('parallel', flags.parallel as string, { int: true, min: 1 }),
          timeout: flags.timeout === undefined ? undefined : numberFlag('timeout', flags.timeout as string, { min: 1 }),
          resume: flags.resume === true,
          seed: flags.seed === undefined ? 0 : numberFlag('seed', flags.seed as string, { int: true }),
        };
        await tune(spec, facts, given, opts, (s) => console.log(s));
      }),
    );
  return cmd;
}

const MODEL_FILES = /^(config\.json|model\.safetensors|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|vocab\.txt|merges\.txt)$/;
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Settings as a JSON config file: numbers written as numbers (`"32"` → 32). */
function configJson(settings: Record<string, unknown>): string {
  const plain = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === 'string' && /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v) ? Number(v) : v]));
  return JSON.stringify(plain, null, 2) + '\n';
}

async function tune(spec: TuneCommandSpec, facts: TrainCommandFacts, given: Record<string, unknown>, opts: TuneOptions, print: (s: string) => void): Promise<void> {
  const out = given.out;
  if (typeof out !== 'string' || !out) throw new CliError('--out is required: the folder for the study journal, the trials, the best config and model.');
  if (given.resume !== undefined) throw new CliError('"resume" (train --resume) does not apply to tune; tune --resume continues the study in --out.');
  for (const key of facts.required) if (given[key] === undefined) throw new CliError(`--${kebab(key)} is required (or set "${key}" in the --config file).`);
  const devSettings = spec.devSettings ?? ['dev'];
  if (!devSettings.some((k) => given[k] !== undefined)) throw new CliError(`--${kebab(devSettings[0]!)} is required: trials are scored by their ${spec.metricLabel}.`);
  const check = spec.check ?? ((f: Record<string, unknown>) => void parseTrainingFlags(f as unknown as TrainingFlags));
  const trialsDir = join(out, 'trials');
  // Train's own checks, before any trial: the common settings, then every value the space can give.
  const base = { ...facts.defaults, ...given, out: trialsDir };
  check(asFlagValues(base));
  const tunable = [...TUNABLE_TRAINING_SETTINGS, ...(spec.extraTunable ?? [])];
  const space = opts.space ? readTuneSpace(opts.space, tunable, check, base) : defaultTuneSpace(spec.defaultRanges, String(given.model ?? spec.defaultModel));
  if (!existsSync(spec.cli)) throw new CliError(`${spec.cli} is missing: each trial runs the built ${spec.app}; build it first (npx tsup in the app's folder).`);
  const journal = join(out, 'study.jsonl');
  if (existsSync(journal) && !opts.resume) throw new CliError(`${journal} exists: pass --resume to continue that study, or choose another --out.`);
  if (!existsSync(journal) && opts.resume) throw new CliError(`--resume: ${journal} does not exist; start the study without --resume.`);
  mkdirSync(trialsDir, { recursive: true });

  const pruner = opts.pruneAfter === undefined ? opts.pruner : createPruner(opts.pruner, opts.pruner === 'asha' ? { minResource: opts.pruneAfter } : { nWarmupSteps: opts.pruneAfter });
  let study: Study;
  try {
    study = Study.open({ space, direction: 'maximize', sampler: opts.sampler, pruner, seed: opts.seed, journal });
  } catch (e) {
    if (e instanceof JournalError) throw new CliError(e.message);
    throw e;
  }
  const defaults = defaultsInSpace(space, base);
  if (defaults) study.enqueue(defaults);
  const done = study.countedTrials;
  print(`Study ${journal}: ${opts.sampler} sampler, ${opts.pruner} pruner${opts.pruneAfter ? ` from epoch ${opts.pruneAfter}` : ''}, ${opts.trials} trials${done ? ` (${done} already in the journal)` : ''}, ${opts.parallel} at a time${opts.timeout ? `, ${opts.timeout} s budget` : ''}`);
  print(`Space: ${Object.entries(space).map(([n, s]) => `${n} ${s.type === 'categorical' ? `{${s.choices.join(', ')}}` : `${s.low}..${s.high}${s.log ? ' log' : ''}`}`).join('; ')}`);
  if (defaults && !done) print('Trial 0 runs the current defaults, as a baseline.');

  const trialDir = (n: number) => join(trialsDir, `trial-${n}`);
  const live = liveTable(study, spec.metricLabel, print);
  await study.optimize(
    processObjective({
      command: (trial) => {
        const dir = trialDir(trial.number);
        mkdirSync(dir, { recursive: true });
        const settings: Record<string, unknown> = { ...given, ...trial.params, out: dir, saveStrategy: 'no' };
        delete settings.saveTotalLimit;
        delete settings.saveSteps;
        writeFileDurableSync(join(dir, 'trial_config.json'), configJson(settings));
        return { file: process.execPath, args: [spec.cli, 'train', '--config', join(dir, 'trial_config.json')], env: trialThreadsEnv(opts.parallel) };
      },
      logFile: (trial) => join(trialDir(trial.number), 'train.log'),
    }),
    {
      nTrials: opts.trials,
      timeoutMs: opts.timeout !== undefined ? opts.timeout * 1000 : undefined,
      parallel: opts.parallel,
      onTrialStart: (t, s) => live(t, false, s),
      onReport: live,
      onTrialEnd: (t, s) => {
        live(t, false, s);
        dropWeightsExceptBest(s, trialDir);
      },
    },
  );

  const table = trialsTable(study.trials, study.space, { best: study.bestTrial?.number });
  if (!process.stdout.isTTY) print(table.trimEnd());
  await writeFileDurable(join(out, 'trials.txt'), table);
  await writeFileDurable(join(out, 'history.svg'), historySvg(study.trials, 'maximize', `${capitalized(spec.metricLabel)} by trial`));
  for (const name of Object.keys(space)) await writeFileDurable(join(out, `param-${name}.svg`), paramSvg(study.trials, study.space, name));
  const best = study.bestTrial;
  if (!best) {
    print(`No trial completed; see ${join(trialsDir, 'trial-<n>', 'train.log')}.`);
    return;
  }
  const bestModelDir = join(out, 'best-model');
  rmSync(bestModelDir, { recursive: true, force: true });
  const weights = join(trialDir(best.number), 'model.safetensors');
  if (existsSync(weights)) {
    mkdirSync(bestModelDir, { recursive: true });
    for (const f of readdirSync(trialDir(best.number))) if (MODEL_FILES.test(f)) await copyFileDurable(join(trialDir(best.number), f), join(bestModelDir, f));
    await syncDirectory(bestModelDir);
    await syncDirectory(out);
  } else {
    print(`note: ${weights} is gone (the trial folder was removed); retrain the best model with train --config best_config.json.`);
  }
  // Retraining from the same starting model with the best settings: train --config best_config.json.
  const bestConfigPath = join(out, 'best_config.json');
  await writeFileDurable(bestConfigPath, configJson({ ...given, ...best.params, out: join(out, 'best-retrained') }));
  const counts = ['complete', 'pruned', 'failed'].map((s) => `${study.trials.filter((t) => t.state === s && !t.interrupted).length} ${s}`).join(', ');
  print(`Best: trial ${best.number}, ${spec.metricLabel} ${formatValue(best.value)}, ${Object.entries(best.params).map(([k, v]) => `${k} ${formatValue(v)}`).join(', ')} (${counts})`);
  print(`${existsSync(bestModelDir) ? `Best model (HF format): ${bestModelDir}; its` : 'Its'} settings: ${bestConfigPath} (${spec.app} train --config ${bestConfigPath}); charts: ${join(out, 'history.svg')}, ${join(out, 'param-<name>.svg')}`);
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A file copied under a temporary name, flushed and renamed into place; the caller flushes the directory once after. */
async function copyFileDurable(from: string, to: string): Promise<void> {
  const tmp = tempPathBeside(to);
  try {
    await copyFile(from, tmp);
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, to);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The trials table, redrawn in place on a terminal; one line per event otherwise. */
function liveTable(study: Study, metricLabel: string, print: (s: string) => void): (t: FrozenTrial, pruned: boolean, s: Study) => void {
  const tty = process.stdout.isTTY === true;
  let drawn = 0;
  return (t, pruned) => {
    if (tty) {
      const table = trialsTable(study.trials, study.space, { best: study.bestTrial?.number });
      if (drawn) process.stdout.write(`\x1b[${drawn}A\x1b[J`);
      process.stdout.write(table);
      drawn = table.split('\n').length - 1;
      return;
    }
    const last = t.intermediate.at(-1);
    if (t.state === 'running' && !last) print(`trial ${t.number} started: ${Object.entries(t.params).map(([k, v]) => `${k} ${formatValue(v)}`).join(', ')}`);
    else if (t.state === 'running' && last) print(`trial ${t.number} epoch ${last.step}: ${metricLabel} ${formatValue(last.value)}${pruned ? ' → the pruner says stop (a last epoch completes)' : ''}`);
    else print(`trial ${t.number} ${t.state}${t.state === 'complete' ? `: ${formatValue(t.value)}` : t.error ? `: ${t.error}` : ''}`);
  };
}

/** Keeps model.safetensors only in the best trial's folder (a study would otherwise keep one model per trial). */
function dropWeightsExceptBest(study: Study, trialDir: (n: number) => string): void {
  const best = study.bestTrial?.number;
  for (const t of study.trials) {
    if (t.number === best || t.state === 'running') continue;
    rmSync(join(trialDir(t.number), 'model.safetensors'), { force: true });
  }
}

/**
 * The native threads each trial process gets: with N trials at once, the cores split between them (at least 1
 * each), so that N trials do not each start a thread per core and fight over them. ATTN_NATIVE_THREADS set by
 * the user wins. One trial at a time keeps the addon's default (every core).
 */
export function trialThreadsEnv(parallel: number, cores = availableParallelism(), env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  if (parallel <= 1 || env.ATTN_NATIVE_THREADS !== undefined) return undefined;
  return { ATTN_NATIVE_THREADS: String(Math.max(1, Math.floor(cores / parallel))) };
}

/**
 * `--parallel`'s default: 2 trials at once when there are 2 or more cores, each with half the native threads.
 * Measured on a quiet 2-core Intel Xeon (tools/bench/tune_parallel.mjs, ABBA, 4 trials of 2 epochs on the SST-2
 * 4k subset): 2 trials x 1 thread finished in 30.1 s against 37.1 s for 1 trial x 2 threads (1.23x), the same dev
 * accuracies. A trial's step has serial parts (tfjs dispatch, JS, collation) and small GEMMs that do not scale
 * to a second thread; two trials fill both cores. Trials use twice the memory: pass --parallel 1 for big models.
 */
export function defaultParallel(cores = availableParallelism()): number {
  return Math.min(2, Math.max(1, cores));
}
