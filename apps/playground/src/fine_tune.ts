// Fine-tuning a classifier in the tab: AdamW + linear warmup/decay from @attn/trainer, one step per animation
// frame so the page stays responsive and the stop button is honoured between steps.
import { tf } from '@attn/tensor';
import { loadModelFromBytes, type ModelInputs, type PretrainedBytes, type TaskModel } from '@attn/models';
import { classificationCollator, LabelMap, prepareClassificationFeature, type ClassificationExample } from '@attn/data';
import { AdamW, LambdaScheduler, linearWithWarmup, weightDecayParamGroups } from '@attn/trainer';
import type { Tokenizer } from '@attn/tokenizers';
import { checkFineTuneSettings } from './fine_tune_settings';

export interface FineTuneOptions {
  steps: number;
  batchSize?: number;
  learningRate?: number;
  maxLength?: number;
  seed?: number;
  /** Called after every optimizer step with the batch's loss. */
  onStep?: (step: number, loss: number) => void;
  /** Checked before every step; true ends training early (the model so far is returned). */
  shouldStop?: () => boolean;
}

export interface FineTuneResult {
  model: TaskModel;
  losses: number[];
  /** tf.memory().numTensors after each step: flat when nothing leaks. */
  tensorCounts: number[];
  /** Examples the steps ran on (a batch is at most the data set's size). */
  examples: number;
  stopped: boolean;
  seconds: number;
}

export class FineTuneError extends Error {
  override name = 'FineTuneError';
}

/** The loss became NaN or infinite: training stopped, and the caller keeps the model it had. */
export class NonFiniteLossError extends FineTuneError {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly learningRate: number,
  ) {
    super(
      step === 1
        ? `The loss is ${loss} at step 1, before any update: the checkpoint holds a NaN or infinite weight. Training stopped; the previous model is kept.`
        : `The loss became ${loss} at step ${step}, so training stopped and the previous model is kept. Try a lower learning rate than ${learningRate}.`,
    );
  }
}

/**
 * Fine-tunes the checkpoint's encoder with a classifier for the examples' labels (sorted), on the active backend.
 * Refuses bad settings before building anything; on a non-finite loss it disposes what it built and throws
 * NonFiniteLossError, so nothing of the diverged run reaches the caller.
 */
export async function fineTuneClassifier(
  checkpoint: PretrainedBytes,
  tokenizer: Tokenizer,
  examples: readonly ClassificationExample[],
  opts: FineTuneOptions,
): Promise<FineTuneResult> {
  const learningRate = opts.learningRate ?? 1e-3;
  const batchSize = opts.batchSize ?? 8;
  const bad = Object.values(checkFineTuneSettings({ steps: opts.steps, batchSize, learningRate }));
  if (bad.length) throw new FineTuneError(bad.join(' '));
  const labelled = examples.filter((e) => e.label !== undefined);
  if (labelled.length < 2) throw new FineTuneError(`The file needs at least 2 labelled rows; found ${labelled.length}. Columns: text (or sentence) and label.`);
  const labelMap = LabelMap.fromData(labelled.map((e) => e.label!), { sort: true });
  const id2label = Object.fromEntries(labelMap.labels.map((l, i) => [i, l]));
  // The checkpoint's family (config.json's model_type) with a classification head for these labels.
  const model = loadModelFromBytes(checkpoint, { task: 'sequence-classification', id2label, ignoreMismatchedSizes: true, quiet: true, seed: opts.seed ?? 0 });
  const features = labelled.map((e) => prepareClassificationFeature(tokenizer, e, { labelMap, maxLength: opts.maxLength ?? 64 }));
  const collate = classificationCollator({ padTokenId: tokenizer.padTokenId ?? 0 });
  const params = model.namedParameters().filter(([, v]) => v.trainable);
  const optimizer = new AdamW(weightDecayParamGroups(params, { lr: learningRate, weightDecay: 0.01 }));
  const scheduler = new LambdaScheduler('linear', optimizer, linearWithWarmup(Math.floor(opts.steps / 10), opts.steps));
  const vars = params.map(([, v]) => v);
  const nameOf = new Map(params.map(([n, v]) => [v.name, n]));
  const perStep = Math.min(batchSize, features.length);
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  const started = performance.now();
  let stopped = false;
  let ok = false;
  model.train();
  try {
    for (let step = 0; step < opts.steps; step++) {
      if (opts.shouldStop?.()) {
        stopped = true;
        break;
      }
      const start = (step * batchSize) % features.length;
      const items = Array.from({ length: perStep }, (_, i) => features[(start + i) % features.length]!);
      const batch = collate(items);
      try {
        const { value, grads } = tf.variableGrads(() => model.forward(batch as unknown as ModelInputs).loss!, vars);
        const loss = (await value.data())[0]!;
        value.dispose();
        if (!Number.isFinite(loss)) {
          tf.dispose(Object.values(grads));
          throw new NonFiniteLossError(step + 1, loss, learningRate);
        }
        optimizer.step(new Map(Object.entries(grads).map(([k, g]) => [nameOf.get(k)!, g])));
        tf.dispose(Object.values(grads));
        scheduler.step();
        losses.push(loss);
        tensorCounts.push(tf.memory().numTensors);
        opts.onStep?.(step + 1, loss);
      } finally {
        tf.dispose(Object.values(batch));
      }
      await tf.nextFrame();
    }
    ok = true;
  } finally {
    // The moment estimates are only needed while training; a failed run's model goes too.
    optimizer.dispose();
    if (!ok) model.dispose();
  }
  model.eval();
  return { model, losses, tensorCounts, examples: losses.length * perStep, stopped, seconds: (performance.now() - started) / 1000 };
}
