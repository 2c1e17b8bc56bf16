import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { latestCheckpoint } from '@attn/trainer';
import { CliError } from './cli_error';
import { numberFlag } from './number_flag';

/** The checkpoint flags `addCheckpointOptions` adds, as commander hands them over. */
export interface CheckpointFlags {
  saveStrategy?: string;
  saveSteps?: string;
  saveTotalLimit?: string;
  /** `--resume` alone is true (the newest checkpoint in --out); `--resume <dir>` names one. */
  resume?: string | boolean;
}

/** TrainingArguments' checkpoint fields, checked. */
export interface CheckpointSettings {
  saveStrategy: 'epoch' | 'steps' | 'no';
  saveSteps: number;
  saveTotalLimit?: number;
}

export const CHECKPOINT_DEFAULTS = { saveStrategy: 'epoch', saveSteps: '500' } as const;

/**
 * HF Trainer's checkpoint flags: `--save-strategy`, `--save-steps`, `--save-total-limit` and
 * `--resume [dir]`. Defaults are applied by resolveCheckpointFlags, so a config file can set them.
 */
export function addCheckpointOptions(cmd: Command): Command {
  return cmd
    .option('--save-strategy <epoch|steps|no>', `write out/checkpoint-<step> after every epoch, every --save-steps updates, or never (default ${CHECKPOINT_DEFAULTS.saveStrategy}; Ctrl-C always writes one)`)
    .option('--save-steps <n>', `updates between checkpoints with --save-strategy steps (default ${CHECKPOINT_DEFAULTS.saveSteps})`)
    .option('--save-total-limit <n>', 'keep only the newest n checkpoints (the best one is never deleted; default: keep all)')
    .option('--resume [dir]', 'continue exactly from a checkpoint directory (default: the newest checkpoint-<step> in --out)');
}

/** The checkpoint flags checked, with one-line errors naming the flag. */
export function resolveCheckpointFlags(flags: CheckpointFlags): CheckpointSettings {
  const strategy = flags.saveStrategy ?? CHECKPOINT_DEFAULTS.saveStrategy;
  if (strategy !== 'epoch' && strategy !== 'steps' && strategy !== 'no') {
    throw new CliError(`--save-strategy must be epoch, steps or no; got ${JSON.stringify(strategy)}.`);
  }
  const saveSteps = numberFlag('save-steps', String(flags.saveSteps ?? CHECKPOINT_DEFAULTS.saveSteps), { int: true, min: 1 });
  const saveTotalLimit = flags.saveTotalLimit === undefined ? undefined : numberFlag('save-total-limit', String(flags.saveTotalLimit), { int: true, min: 1 });
  return { saveStrategy: strategy, saveSteps, saveTotalLimit };
}

/** The checkpoint `--resume` names: its directory, the newest in `outDir` for a bare `--resume`, or undefined. */
export async function resolveResume(resume: string | boolean | undefined, outDir: string): Promise<string | undefined> {
  if (resume === undefined || resume === false) return undefined;
  if (resume === true) {
    const latest = await latestCheckpoint(outDir);
    if (!latest) throw new CliError(`--resume: ${outDir} holds no checkpoint-<step> directory; pass --resume <dir> or train without --resume.`);
    return latest;
  }
  if (!existsSync(join(resume, 'trainer_state.json'))) {
    throw new CliError(`--resume ${resume}: not a checkpoint (no trainer_state.json); pass a checkpoint-<step> directory that train wrote.`);
  }
  return resume;
}
