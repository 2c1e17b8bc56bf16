import { tf } from '@attn/tensor';
import type { TrainableModel, ModelOutputs } from './trainable_model';
import { concatBatches, type BatchArray, type EvalPrediction, type PredictionOutput } from './prediction_output';
import { batchSizeOf, disposeBatch, toInputs, type BatchSource } from './batch_source';
import { splitLossResult, type ComputeLoss } from './compute_loss';

export type ComputeMetrics = (p: EvalPrediction) => Record<string, number>;

export interface PredictionLoopOptions {
  /** Only the loss: no outputs or labels are copied out and computeMetrics is not called. */
  lossOnly?: boolean;
  /**
   * The loss of labelled batches (HF's prediction_step calls compute_loss(model, inputs, return_outputs=True));
   * its outputs are the predictions. Without it, model.forward's outputs and loss.
   */
  computeLoss?: ComputeLoss;
}

/** Model outputs and batch labels copied out at evaluation, in this order. */
const OUTPUT_KEYS = ['logits', 'startLogits', 'endLogits'] as const;
const LABEL_KEYS = ['labels', 'startPositions', 'endPositions'] as const;

function readArray(t: tf.Tensor): BatchArray {
  const data = t.dtype === 'int32' ? new Int32Array(t.dataSync() as Int32Array) : new Float32Array(t.dataSync() as Float32Array);
  return { data, shape: [...t.shape] };
}

/** Each key's batches as one array, padded with -100 along ragged axes (HF's nested_concat). */
function concatAll(perBatch: Record<string, BatchArray[]>): Record<string, BatchArray> {
  return Object.fromEntries(Object.entries(perBatch).map(([k, batches]) => [k, concatBatches(batches, -100)]));
}

/**
 * Runs the model in eval mode over every batch (no gradients), collecting outputs and labels and
 * concatenating them over batches (see EvalPrediction); metrics: `<prefix>_loss` (mean over examples, as HF), computeMetrics' values prefixed,
 * runtime and samples/s. The model's train/eval mode is restored afterwards.
 */
export function predictionLoop(
  model: TrainableModel,
  loader: BatchSource,
  prefix: string,
  computeMetrics?: ComputeMetrics,
  opts: PredictionLoopOptions = {},
): PredictionOutput {
  const wasTraining = (model as { training?: boolean }).training;
  model.eval();
  const predictions: Record<string, BatchArray[]> = {};
  const labelIds: Record<string, BatchArray[]> = {};
  let lossSum = 0;
  let lossRows = 0;
  let rows = 0;
  const started = performance.now();
  loader.setEpoch?.(0);
  try {
    for (const batch of loader) {
      try {
        const n = batchSizeOf(batch);
        rows += n;
        tf.tidy(() => {
          const inputs = toInputs(batch);
          const hasLabels = LABEL_KEYS.some((k) => batch[k] !== undefined);
          let out: ModelOutputs | undefined;
          let loss: tf.Scalar | undefined;
          if (opts.computeLoss && hasLabels) ({ loss, outputs: out } = splitLossResult(opts.computeLoss(model, inputs, true)));
          else loss = (out = model.forward(inputs)).loss;
          if (loss) {
            // Weighted by batch size: HF averages the per-batch loss repeated once per example.
            lossSum += loss.dataSync()[0]! * n;
            lossRows += n;
          }
          for (const k of opts.lossOnly ? [] : OUTPUT_KEYS) {
            const t = out?.[k];
            if (t) (predictions[k] ??= []).push(readArray(t));
          }
        });
        for (const k of opts.lossOnly ? [] : LABEL_KEYS) {
          const t = batch[k];
          if (t) (labelIds[k] ??= []).push(readArray(t));
        }
      } finally {
        disposeBatch(batch);
      }
    }
  } finally {
    if (wasTraining) model.train();
  }
  const runtime = (performance.now() - started) / 1000;
  const prediction: EvalPrediction = { predictions: concatAll(predictions), labelIds: concatAll(labelIds) };
  const metrics: Record<string, number> = {};
  if (lossRows > 0) metrics[`${prefix}_loss`] = lossSum / lossRows;
  if (computeMetrics && Object.keys(labelIds).length > 0) {
    for (const [k, v] of Object.entries(computeMetrics(prediction))) {
      metrics[k.startsWith(`${prefix}_`) ? k : `${prefix}_${k}`] = v;
    }
  }
  metrics[`${prefix}_runtime`] = runtime;
  metrics[`${prefix}_samples_per_second`] = rows / Math.max(runtime, 1e-9);
  return { ...prediction, metrics };
}
