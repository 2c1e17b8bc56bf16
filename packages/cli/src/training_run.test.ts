import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { ArrayDataset, DataLoader } from '@attn/data';
import { resolveTrainingArguments } from '@attn/trainer';
import { heapExhaustedError, runTraining, trainingArguments } from './training_run';
import { CliError } from './cli_error';
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

describe('heapExhaustedError', () => {
  it("turns the wasm heap's bare Aborted() into one line naming the batch and the fixes; other errors pass", () => {
    const abort = new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.');
    const err = heapExhaustedError(abort, { perDeviceTrainBatchSize: 32 });
    expect(err).toBeInstanceOf(CliError);
    expect(err!.message).toMatch(/^training ran out of memory at --batch-size 32: the wasm backend's heap stops at 4 GB/);
    expect(err!.message).toMatch(/--gradient-checkpointing .* or a smaller --batch-size, or a smaller --max-length/);
    expect(err!.message.split('\n')).toHaveLength(1);
    // Already checkpointing: not suggested again.
    expect(heapExhaustedError(abort, { perDeviceTrainBatchSize: 8, gradientCheckpointing: true })!.message).not.toMatch(/--gradient-checkpointing/);
    expect(heapExhaustedError(new WebAssembly.RuntimeError('memory access out of bounds'))).toBeUndefined();
    expect(heapExhaustedError(new Error('Aborted()'))).toBeUndefined();
    expect(heapExhaustedError('Aborted()')).toBeUndefined();
  });
});

describe('runTraining', () => {
  it('rejects with that one line when a step aborts for memory, and writes nothing', async () => {
    await initBackend({ backend: 'cpu' });
    const out = await mkdtemp(join(tmpdir(), 'attn-heap-'));
    const w = tf.variable(tf.zeros([2]), true, 'heap-test/w');
    const model = {
      namedParameters: (): Array<[string, tf.Variable]> => [['w', w]],
      trainableParameters: (): Array<[string, tf.Variable]> => [['w', w]],
      train: () => undefined,
      eval: () => undefined,
      stateDict: () => ({ w }),
      loadStateDict: () => undefined,
      forward: (): never => {
        throw new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.');
      },
    };
    const loader = new DataLoader(new ArrayDataset([0, 1]), { batchSize: 2, collate: () => ({ inputIds: tf.zeros([2, 3], 'int32') }) });
    await expect(
      runTraining({ model: model as never, args: { outputDir: out, perDeviceTrainBatchSize: 2, numTrainEpochs: 1, saveStrategy: 'steps', saveSteps: 1 }, trainDataLoader: loader as never }),
    ).rejects.toThrow(/^training ran out of memory at --batch-size 2: the wasm backend's heap stops at 4 GB/);
    expect((await readdir(out)).filter((f) => f.startsWith('checkpoint-'))).toEqual([]);
    w.dispose();
    await rm(out, { recursive: true, force: true });
  });
});
