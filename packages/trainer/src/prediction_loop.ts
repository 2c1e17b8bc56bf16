import { tf } from '@attn/tensor';
import type { ModelInputs, ModelOutput } from '@attn/models';
import type { TrainableModel } from './trainable_model';
import { concatBatches, type BatchArray, type EvalPrediction, type PredictionOutput } from './prediction_output';
import { batchSizeOf, checkBatch, disposeBatch, tensorField, tensorFields, type BatchSource, type InputBatch } from './batch_source';
import { splitLossResult, type ComputeLoss } from './compute_loss';

export type ComputeMetrics = (p: EvalPrediction) => Record<string, number>;

export interface PredictionLoopOptions<I = ModelInputs, O extends object = ModelOutput> {
  /** Only the loss: no outputs or labels are copied out and computeMetrics is not called. */
  lossOnly?: boolean;
  /** Output names not to collect (HF's ignore_keys), e.g. 'lastHiddenState'. */
  ignoreKeys?: readonly string[];
  /**
   * The loss of labelled batches (HF's prediction_step calls compute_loss(model, inputs, return_outputs=True));
   * its outputs are the predictions. Without it, model.forward's outputs and loss.
   */
  computeLoss?: ComputeLoss<I, O>;
}

/** Batch fields copied out at evaluation as labels (HF's default label_names); every output tensor but the loss is a prediction. */
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
 * Runs the model in eval mode over every batch (no gradients), collecting every named output tensor
 * (logits, startLogits, endLogits, …; not the loss, nor lists such as attentions) and labels and
 * concatenating them over batches (see EvalPrediction); metrics: `<prefix>_loss` (mean over examples, as HF), computeMetrics' values prefixed,
 * runtime and samples/s. The model's train/eval mode is restored afterwards.
 */
export function predictionLoop<I extends InputBatch, O extends object>(
  model: TrainableModel<I, O>,
  loader: BatchSource<I>,
  prefix: string,
  computeMetrics?: ComputeMetrics,
  opts: PredictionLoopOptions<I, O> = {},
): PredictionOutput {
  const ignored = new Set(['loss', ...(opts.ignoreKeys ?? [])]);
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
          const inputs = checkBatch(batch);
          const hasLabels = LABEL_KEYS.some((k) => tensorField(batch, k) !== undefined);
          let out: O | undefined;
          let loss: tf.Tensor | undefined;
          if (opts.computeLoss && hasLabels) ({ loss, outputs: out } = splitLossResult(opts.computeLoss(model, inputs, true)));
          else loss = tensorField((out = model.forward(inputs)), 'loss');
          if (loss) {
            // Weighted by batch size: HF averages the per-batch loss repeated once per example.
            lossSum += loss.dataSync()[0]! * n;
            lossRows += n;
          }
          for (const [k, t] of opts.lossOnly || !out ? [] : tensorFields(out)) {
            if (!ignored.has(k)) (predictions[k] ??= []).push(readArray(t));
          }
        });
        for (const k of opts.lossOnly ? [] : LABEL_KEYS) {
          const t = tensorField(batch, k);
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
