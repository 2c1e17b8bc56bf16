import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { Study, createPruner, processObjective, trialsTable, historySvg, paramSvg, formatValue, samplerNames, prunerNames, type FrozenTrial } from '@attn/tune';
import { numberFlag, runCommand } from '@attn/cli';
import { CliError } from '../cli_error';
import { APP_DATA } from '../model_source';
import { resolveTrainConfig, type TrainConfig } from '../train_config';
import { defaultSpace, defaultsInSpace, readSpaceFile, trialConfig } from '../tune_space';

export interface TuneOptions {
  /** The train flags and --config, as `train` takes them; `out` is the study's folder. */
  trainFlags: Record<string, unknown>;
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
  seed: number;
  /** The built attn-classify script each trial runs (default: dist/cli.js beside this app). */
  cli?: string;
}

export interface TuneResult {
  study: Study;
  bestConfigPath?: string;
  bestModelDir?: string;
}

/** `attn-classify tune`: the flags, then tune(). */
export function registerTune(program: Command, backendOption: () => Option): void {
  program
    .command('tune')
    .description('search hyperparameters: each trial is a `train` run in its own process, scored by dev accuracy; writes the best config, the best model and charts')
    .option('--config <file>', 'train settings the trials start from (JSON, as train --config)')
    .option('--train <file>', 'training data: .tsv, .csv or .jsonl')
    .option('--dev <file>', 'dev data: the objective is its accuracy, reported after every epoch (required)')
    .option('--model <dir|preset>', 'as train (default: the bundled pretrained model)')
    .option('--tokenizer <file>', 'as train')
    .option('--out <dir>', 'the study folder: study.jsonl journal, trials/, best_config.json, best-model/, charts (required)')
    .option('--text-column <name>', 'as train')
    .option('--text-pair-column <name>', 'as train')
    .option('--label-column <name>', 'as train')
    .option('--max-length <n>', 'as train')
    .option('--limit <n>', 'as train: use only the first N training examples')
    .option('--encoding <utf8|latin1>', 'as train')
    .option('--trials <n>', 'trials in the study, counting those already in a resumed journal (default 20)')
    .option('--space <file>', 'JSON search space over train settings, e.g. {"lr": {"type": "float", "low": 1e-5, "high": 1e-3, "log": true}} (default: lr, batchSize, epochs, weightDecay, warmupRatio, freeze, and dropout for a preset model)')
    .addOption(new Option('--sampler <name>', 'tpe (multivariate) | tpe-independent | random | grid').choices(samplerNames()).default('tpe'))
    .addOption(new Option('--pruner <name>', 'stop weak trials after an epoch: median | asha | none').choices(prunerNames()).default('median'))
    .option('--prune-after <epochs>', 'no pruning before this epoch (median: warm-up steps; asha: the first rung; default 1)')
    .option('--parallel <n>', 'trials at once, each its own process (default 1)')
    .option('--timeout <seconds>', 'start no new trial after this many seconds')
    .option('--resume', 'continue the study journal in --out')
    .option('--seed <n>', "the sampler's seed (default 0); trials train with train's seed")
    .addOption(backendOption())
    .action((flags) =>
      runCommand(async () => {
        const { trials, space, sampler, pruner, pruneAfter, parallel, timeout, resume, seed, ...trainFlags } = flags;
        await tune({
          trainFlags,
          trials: trials === undefined ? 20 : numberFlag('trials', trials, { int: true, min: 1 }),
          space,
          sampler,
          pruner,
          pruneAfter: pruneAfter === undefined ? undefined : numberFlag('prune-after', pruneAfter, { int: true, min: 1 }),
          parallel: parallel === undefined ? 1 : numberFlag('parallel', parallel, { int: true, min: 1 }),
          timeout: timeout === undefined ? undefined : numberFlag('timeout', timeout, { min: 1 }),
          resume: resume === true,
          seed: seed === undefined ? 0 : numberFlag('seed', seed, { int: true }),
        });
      }),
    );
}

const MODEL_FILES = /^(config\.json|model\.safetensors|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|vocab\.txt)$/;

/** Hyperparameter search: each trial is `attn-classify train` in its own process, scored by dev accuracy. */
export async function tune(opts: TuneOptions, print: (s: string) => void = (s) => console.log(s)): Promise<TuneResult> {
  const out = opts.trainFlags.out as string | undefined;
  if (!out) throw new CliError('--out is required: the folder for the study journal, the trials, the best config and model.');
  if (!opts.trainFlags.dev && !opts.trainFlags.config) throw new CliError('--dev is required: trials are scored by their dev accuracy.');
  const base = resolveTrainConfig({ ...opts.trainFlags, out: join(out, 'trials') });
  if (!base.dev) throw new CliError('--dev is required: trials are scored by their dev accuracy.');
  if (base.resume) throw new CliError('--resume of train does not apply to tune; tune --resume continues the study in --out.');
  const space = opts.space ? readSpaceFile(opts.space, { ...opts.trainFlags, out: join(out, 'trials') }) : defaultSpace(base.model);
  const cli = opts.cli ?? resolve(APP_DATA, '..', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new CliError(`${cli} is missing: each trial runs the built attn-classify; build it first (npx tsup in apps/classify).`);
  const journal = join(out, 'study.jsonl');
  if (existsSync(journal) && !opts.resume) throw new CliError(`${journal} exists: pass --resume to continue that study, or choose another --out.`);
  if (!existsSync(journal) && opts.resume) throw new CliError(`--resume: ${journal} does not exist; start the study without --resume.`);
  mkdirSync(join(out, 'trials'), { recursive: true });

  const pruner = opts.pruneAfter === undefined ? opts.pruner : createPruner(opts.pruner, opts.pruner === 'asha' ? { minResource: opts.pruneAfter } : { nWarmupSteps: opts.pruneAfter });
  const study = Study.open({ space, direction: 'maximize', sampler: opts.sampler, pruner, seed: opts.seed, journal });
  const defaults = defaultsInSpace(space, base);
  if (defaults) study.enqueue(defaults);
  const done = study.countedTrials;
  print(`Study ${journal}: ${opts.sampler} sampler, ${opts.pruner} pruner${opts.pruneAfter ? ` from epoch ${opts.pruneAfter}` : ""}, ${opts.trials} trials${done ? ` (${done} already in the journal)` : ''}, ${opts.parallel} at a time${opts.timeout ? `, ${opts.timeout} s budget` : ''}`);
  print(`Space: ${Object.entries(space).map(([n, s]) => `${n} ${s.type === 'categorical' ? `{${s.choices.join(', ')}}` : `${s.low}..${s.high}${s.log ? ' log' : ''}`}`).join('; ')}`);
  if (defaults && !done) print('Trial 0 runs the current defaults, as a baseline.');

  const trialDir = (n: number) => join(out, 'trials', `trial-${n}`);
  const live = liveTable(study, print);
  await study.optimize(
    processObjective({
      command: (trial) => {
        const dir = trialDir(trial.number);
        mkdirSync(dir, { recursive: true });
        const cfg = { ...trialConfig(base, trial.params, dir), saveStrategy: 'no' as const };
        delete (cfg as Partial<TrainConfig>).saveTotalLimit;
        writeFileSync(join(dir, 'trial_config.json'), JSON.stringify(cfg, null, 2) + '\n');
        return { file: process.execPath, args: [cli, 'train', '--config', join(dir, 'trial_config.json')] };
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

  process.stdout.write(trialsTable(study.trials, study.space, { best: study.bestTrial?.number }));
  writeFileSync(join(out, 'trials.txt'), trialsTable(study.trials, study.space, { best: study.bestTrial?.number }));
  writeFileSync(join(out, 'history.svg'), historySvg(study.trials, 'maximize', 'Dev accuracy by trial'));
  for (const name of Object.keys(space)) writeFileSync(join(out, `param-${name}.svg`), paramSvg(study.trials, study.space, name));
  const best = study.bestTrial;
  if (!best) {
    print(`No trial completed; see ${join(out, 'trials', 'trial-<n>', 'train.log')}.`);
    return { study };
  }
  const bestModelDir = join(out, 'best-model');
  rmSync(bestModelDir, { recursive: true, force: true });
  const weights = join(trialDir(best.number), 'model.safetensors');
  if (existsSync(weights)) {
    mkdirSync(bestModelDir, { recursive: true });
    for (const f of readdirSync(trialDir(best.number))) if (MODEL_FILES.test(f)) copyFileSync(join(trialDir(best.number), f), join(bestModelDir, f));
  } else {
    print(`note: ${weights} is gone (the trial folder was removed); retrain the best model with train --config best_config.json.`);
  }
  // Retraining from the same starting model with the best settings: train --config best_config.json.
  const bestConfig = trialConfig(base, best.params, join(out, 'best-retrained')) as Partial<TrainConfig>;
  delete bestConfig.resume;
  const bestConfigPath = join(out, 'best_config.json');
  writeFileSync(bestConfigPath, JSON.stringify(bestConfig, null, 2) + '\n');
  const counts = ['complete', 'pruned', 'failed'].map((s) => `${study.trials.filter((t) => t.state === s && !t.interrupted).length} ${s}`).join(', ');
  print(`Best: trial ${best.number}, dev accuracy ${formatValue(best.value)}, ${Object.entries(best.params).map(([k, v]) => `${k} ${formatValue(v)}`).join(', ')} (${counts})`);
  print(`${existsSync(bestModelDir) ? `Best model (HF format): ${bestModelDir}; its` : 'Its'} settings: ${bestConfigPath} (attn-classify train --config ${bestConfigPath}); charts: ${join(out, 'history.svg')}, ${join(out, 'param-<name>.svg')}`);
  return { study, bestConfigPath, bestModelDir: existsSync(bestModelDir) ? bestModelDir : undefined };
}

/** The trials table, redrawn in place on a terminal; one line per event otherwise. */
function liveTable(study: Study, print: (s: string) => void): (t: FrozenTrial, pruned: boolean, s: Study) => void {
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
    else if (t.state === 'running' && last) print(`trial ${t.number} epoch ${last.step}: dev accuracy ${formatValue(last.value)}${pruned ? ' → pruned' : ''}`);
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
