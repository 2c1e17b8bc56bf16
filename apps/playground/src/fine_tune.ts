// Fine-tuning a classifier in the tab: @attn/trainer's Trainer (AdamW, linear warmup/decay) with a memory store,
// plus a callback that feeds the live loss chart, honours the stop button and yields one animation frame per
// step so the page stays responsive.
import { tf } from '@attn/tensor';
import { loadModelFromBytes, type PretrainedBytes, type TaskModel } from '@attn/models';
import { classificationCollator, LabelMap, prepareClassificationFeature, type ClassificationBatch, type ClassificationExample } from '@attn/data';
import { MemoryStore, NonFiniteLossError as TrainerNonFiniteLossError, Trainer, type BatchSource, type TrainerCallback } from '@attn/trainer';
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
  const perStep = Math.min(batchSize, features.length);
  // Step s trains on the rows from s · batchSize on, wrapping around: every row is seen, in file order.
  const batches: BatchSource<ClassificationBatch> = {
    length: opts.steps,
    *[Symbol.iterator]() {
      for (let step = 0; step < opts.steps; step++) {
        const start = (step * batchSize) % features.length;
        yield collate(Array.from({ length: perStep }, (_, i) => features[(start + i) % features.length]!));
      }
    },
  };
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  let stopped = false;
  const page: TrainerCallback = {
    onTrainBegin: (ctx) => void (opts.shouldStop?.() && (stopped = ctx.control.shouldStop = true)),
    onStepEnd: async (ctx) => {
      losses.push(ctx.loss!);
      tensorCounts.push(tf.memory().numTensors);
      opts.onStep?.(ctx.state.globalStep, ctx.loss!);
      await tf.nextFrame();
      if (ctx.state.globalStep < opts.steps && opts.shouldStop?.()) stopped = ctx.control.shouldStop = true;
    },
  };
  const trainer = new Trainer({
    model,
    args: {
      outputDir: 'playground',
      maxSteps: opts.steps,
      learningRate,
      weightDecay: 0.01,
      lrSchedulerType: 'linear',
      warmupSteps: Math.floor(opts.steps / 10),
      maxGradNorm: 0,
      evalStrategy: 'no',
      saveStrategy: 'no',
      loggingStrategy: 'no',
      seed: opts.seed ?? 0,
    },
    trainDataLoader: batches,
    callbacks: [page],
    store: new MemoryStore(),
  });
  const started = performance.now();
  let ok = false;
  try {
    await trainer.train();
    ok = true;
  } catch (e) {
    if (e instanceof TrainerNonFiniteLossError) throw new NonFiniteLossError(e.step, e.loss, learningRate);
    throw e;
  } finally {
    // The moment estimates are only needed while training; a failed run's model goes too.
    trainer.dispose();
    if (!ok) model.dispose();
  }
  model.eval();
  return { model, losses, tensorCounts, examples: losses.length * perStep, stopped, seconds: (performance.now() - started) / 1000 };
}
