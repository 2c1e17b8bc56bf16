import { describe, expect, it } from 'vitest';
import { nearestTrainingArgument, resolveTrainingArguments, type TrainingArgumentsInput } from './training_arguments';
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

  it('rejects unknown fields in one line, suggesting the nearest valid name', () => {
    const misspelled = { outputDir: 'o', numEpochs: 1, learningrate: 1e-3 } as unknown as TrainingArgumentsInput;
    expect(() => resolveTrainingArguments(misspelled)).toThrow(
      new TrainingArgumentsError(
        'TrainingArguments has no fields numEpochs (did you mean numTrainEpochs?), learningrate (did you mean learningRate?); fields are camelCase, e.g. learningRate, numTrainEpochs, perDeviceTrainBatchSize.',
      ),
    );
    const hfSpelling = { outputDir: 'o', per_device_train_batch_size: 16 } as unknown as TrainingArgumentsInput;
    expect(() => resolveTrainingArguments(hfSpelling)).toThrow(/^TrainingArguments has no field per_device_train_batch_size \(did you mean perDeviceTrainBatchSize\?\);/);
    const nothingClose = { outputDir: 'o', banana: 1 } as unknown as TrainingArgumentsInput;
    expect(() => resolveTrainingArguments(nothingClose)).toThrow(/^TrainingArguments has no field banana; fields are camelCase/);
    // Undefined values are ignored only for known fields.
    expect(() => resolveTrainingArguments({ outputDir: 'o', saveTotalLimit: undefined })).not.toThrow();
  });

  it('suggests by edit distance', () => {
    expect(nearestTrainingArgument('warmupStep')).toBe('warmupSteps');
    expect(nearestTrainingArgument('lr_scheduler_type')).toBe('lrSchedulerType');
    expect(nearestTrainingArgument('evaluationStrategy')).toBe('evalStrategy');
    expect(nearestTrainingArgument('zzz')).toBeUndefined();
  });
});
