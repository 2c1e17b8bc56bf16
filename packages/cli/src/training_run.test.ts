import { describe, expect, it } from 'vitest';
import { resolveTrainingArguments } from '@attn/trainer';
import { trainingArguments } from './training_run';
import { parseTrainingFlags } from './train_options';

describe('trainingArguments', () => {
  it('maps the shared flags onto HF TrainingArguments names', () => {
    const t = parseTrainingFlags({
      optimizer: 'sgd', lr: '1e-3', batchSize: '8', epochs: '2', weightDecay: '0', warmupRatio: '0.2', patience: '2', freeze: 'none',
      seed: '7', maxGradNorm: '0.5', limit: '0', devLimit: '0', loggingSteps: '5', saveStrategy: 'steps', saveSteps: '10', saveTotalLimit: '2',
    });
    const args = resolveTrainingArguments(trainingArguments(t, 'out'));
    expect(args).toMatchObject({
      outputDir: 'out', optim: 'sgd', learningRate: 1e-3, perDeviceTrainBatchSize: 8, numTrainEpochs: 2, weightDecay: 0, warmupRatio: 0.2,
      seed: 7, maxGradNorm: 0.5, saveStrategy: 'steps', saveSteps: 10, saveTotalLimit: 2, gradientCheckpointing: false,
    });
  });

  it('passes --gradient-checkpointing on as TrainingArguments.gradientCheckpointing', () => {
    const t = parseTrainingFlags({
      optimizer: 'adamw', lr: '1e-3', batchSize: '8', epochs: '2', weightDecay: '0', warmupRatio: '0', patience: '2', freeze: 'none',
      seed: '7', maxGradNorm: '1', limit: '0', devLimit: '0', gradientCheckpointing: true,
    });
    expect(resolveTrainingArguments(trainingArguments(t, 'out')).gradientCheckpointing).toBe(true);
  });
});
