/** One batch's values of one output, row-major. */
export interface BatchArray {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Every example's predictions and labels, concatenated over batches as HF's `EvalPrediction`:
 * `predictions.logits` is [N, numLabels] or [N, S, numLabels]. With dynamic padding batches have
 * their own sequence length; shorter ones are padded to the longest with -100, as HF's
 * `nested_concat` does, so label-aware metrics skip the padding like they skip ignored tokens.
 */
export interface EvalPrediction {
  /** By model output name: every output tensor but the loss (logits; startLogits, endLogits; …). */
  predictions: Record<string, BatchArray>;
  /** By batch key: labels, startPositions, endPositions. */
  labelIds: Record<string, BatchArray>;
}

export interface PredictionOutput extends EvalPrediction {
  metrics: Record<string, number>;
}

/**
 * Concatenates batches along the first axis; batches shorter along axis 1 are padded to the
 * longest with `padValue` (HF pads with -100, which label-aware metrics skip).
 */
export function concatBatches(batches: BatchArray[], padValue = -100): BatchArray {
  if (batches.length === 0) return { data: new Float32Array(0), shape: [0] };
  const rank = batches[0]!.shape.length;
  const maxShape = batches[0]!.shape.slice(1);
  for (const b of batches) {
    if (b.shape.length !== rank) throw new RangeError(`concatBatches: batches have ranks ${rank} and ${b.shape.length}; all must match.`);
    b.shape.slice(1).forEach((d, i) => (maxShape[i] = Math.max(maxShape[i]!, d)));
  }
  const rows = batches.reduce((n, b) => n + b.shape[0]!, 0);
  const rowSize = maxShape.reduce((n, d) => n * d, 1);
  const Ctor = batches[0]!.data instanceof Int32Array ? Int32Array : Float32Array;
  const out = new Ctor(rows * rowSize).fill(padValue);
  let row = 0;
  for (const b of batches) {
    const inner = b.shape.slice(1);
    const innerSize = inner.reduce((n, d) => n * d, 1);
    for (let k = 0; k < b.shape[0]! * innerSize; k++) {
      // Destination offset of element k: same multi-index, strides of the padded shape.
      let rem = k % innerSize;
      let dst = 0;
      let stride = 1;
      for (let d = inner.length - 1; d >= 0; d--) {
        dst += (rem % inner[d]!) * stride;
        rem = Math.floor(rem / inner[d]!);
        stride *= maxShape[d]!;
      }
      out[(row + Math.floor(k / innerSize)) * rowSize + dst] = b.data[k]!;
    }
    row += b.shape[0]!;
  }
  return { data: out, shape: [rows, ...maxShape] };
}
