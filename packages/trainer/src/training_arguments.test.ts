import { describe, expect, it } from 'vitest';
import { resolveTrainingArguments } from './training_arguments';
import { TrainingArgumentsError } from './training_error';

describe('resolveTrainingArguments', () => {
  it("fills HF's defaults", () => {
    const a = resolveTrainingArguments({ outputDir: 'out' });
    expect(a).toMatchObject({ learningRate: 5e-5, numTrainEpochs: 3, maxSteps: -1, lrSchedulerType: 'linear', maxGradNorm: 1, seed: 42, optim: 'adamw', evalSteps: 500 });
    expect(resolveTrainingArguments({ outputDir: 'o', loggingSteps: 10 }).evalSteps).toBe(10);
  });

  it('best-model settings: default metric loss (lower is better), accuracy higher is better', () => {
    const a = resolveTrainingArguments({ outputDir: 'o', loadBestModelAtEnd: true, evalStrategy: 'epoch', saveStrategy: 'epoch' });
    expect(a.metricForBestModel).toBe('loss');
    expect(a.greaterIsBetter).toBe(false);
    expect(resolveTrainingArguments({ outputDir: 'o', metricForBestModel: 'accuracy' }).greaterIsBetter).toBe(true);
  });

  it('names the field in its errors', () => {
    expect(() => resolveTrainingArguments({ outputDir: 'o', perDeviceTrainBatchSize: 0 })).toThrow(/perDeviceTrainBatchSize must be a positive integer; got 0/);
    expect(() => resolveTrainingArguments({ outputDir: 'o', evalStrategy: 'sometimes' as 'no' })).toThrow(TrainingArgumentsError);
    expect(() => resolveTrainingArguments({ outputDir: 'o', loadBestModelAtEnd: true })).toThrow(/evalStrategy/);
    expect(() =>
      resolveTrainingArguments({ outputDir: 'o', loadBestModelAtEnd: true, evalStrategy: 'steps', evalSteps: 3, saveSteps: 4 }),
    ).toThrow(/saveSteps must be a multiple of evalSteps \(3\)/);
    expect(() => resolveTrainingArguments({ outputDir: '' })).toThrow(/outputDir/);
    expect(() => resolveTrainingArguments({ outputDir: 'o', maxSteps: 0 })).toThrow(/maxSteps/);
  });
});
