import type { Command } from 'commander';
import { registerTuneCommand, repoPath } from '@attn/cli';
import { DEFAULT_MODEL } from './train';

/** `attn-qa tune`: @attn/cli's search over `attn-qa train`, scored by SQuAD dev F1. */
export function registerTune(program: Command): void {
  registerTuneCommand(program, {
    app: 'attn-qa',
    cli: repoPath(import.meta.url, 'apps', 'qa', 'dist', 'cli.js'),
    metric: 'f1',
    metricLabel: 'dev F1',
    defaultModel: DEFAULT_MODEL,
    // Around the measured default (lr 1e-3, batch 16, 2 epochs; docs/default-learning-rates.md).
    defaultRanges: { lr: [1e-4, 5e-3], batchSize: [8, 16, 32], epochs: [1, 3] },
    devSettings: ['dev', 'devSplitArticles'],
  });
}
