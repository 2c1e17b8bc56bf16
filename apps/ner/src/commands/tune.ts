import type { Command } from 'commander';
import { registerTuneCommand, repoPath } from '@attn/cli';
import { DEFAULT_MODEL } from './train';

/** `attn-ner tune`: @attn/cli's search over `attn-ner train`, scored by dev entity F1 (seqeval, strict IOB2 spans). */
export function registerTune(program: Command): void {
  registerTuneCommand(program, {
    app: 'attn-ner',
    cli: repoPath(import.meta.url, 'apps', 'ner', 'dist', 'cli.js'),
    metric: 'f1',
    metricLabel: 'dev entity F1',
    defaultModel: DEFAULT_MODEL,
    // Around the measured default (lr 2e-3, batch 32, 3 epochs; docs/default-learning-rates.md).
    defaultRanges: { lr: [1e-4, 1e-2], batchSize: [16, 32, 64], epochs: [2, 5] },
  });
}
