import { describe, expect, it } from 'vitest';
import { trainingArguments } from '@attn/cli';
import { parseTrainArgs } from './train_args';

describe('attn-classify train flags', () => {
  it('every shared training flag reaches the TrainingArguments, from the command line or --config', async () => {
    const args = ['--train', 't.tsv', '--out', 'o', '--model', 'bert-tiny', '--optimizer', 'sgd', '--lr', '0.02', '--batch-size', '8', '--epochs', '2.5', '--weight-decay', '0.05',
      '--warmup-ratio', '0.3', '--max-grad-norm', '0.5', '--seed', '7', '--save-strategy', 'steps', '--save-steps', '20', '--save-total-limit', '2', '--gradient-checkpointing'];
    const cfg = await parseTrainArgs(args);
    expect(trainingArguments(cfg, 'o')).toEqual({
      outputDir: 'o', learningRate: 0.02, perDeviceTrainBatchSize: 8, numTrainEpochs: 2.5, weightDecay: 0.05, warmupRatio: 0.3, maxGradNorm: 0.5,
      optim: 'sgd', seed: 7, saveStrategy: 'steps', saveSteps: 20, saveTotalLimit: 2, gradientCheckpointing: true,
    });
    expect(cfg).toMatchObject({ patience: 2, freeze: 'none', limit: 0, devLimit: 0, loggingSteps: undefined, scheduler: 'linear', loraRank: 0, maxLength: 128 });
  });
});
