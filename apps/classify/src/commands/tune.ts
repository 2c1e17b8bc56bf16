import type { Command } from 'commander';
import { registerTuneCommand } from '@attn/cli';
import { APP_DATA, DEFAULT_MODEL } from '../model_source';
import { resolveTrainConfig, type ClassifyTrainFlags } from '../train_config';
import { join } from 'node:path';

/** `attn-classify tune`: @attn/cli's search over `attn-classify train`, scored by dev accuracy. */
export function registerTune(program: Command): void {
  registerTuneCommand(program, {
    app: 'attn-classify',
    cli: join(APP_DATA, '..', 'dist', 'cli.js'),
    metric: 'accuracy',
    metricLabel: 'dev accuracy',
    defaultModel: DEFAULT_MODEL,
    defaultRanges: { lr: [5e-5, 3e-3], batchSize: [16, 32, 64], epochs: [2, 5] },
    // train's own checks, classify's flags included (e.g. a space's loraRank of -1).
    check: (flags) => void resolveTrainConfig(flags as unknown as ClassifyTrainFlags),
    extraTunable: ['scheduler', 'loraRank'],
  });
}
