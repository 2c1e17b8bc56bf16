// A whole post-LN encoder layer as one kernel, for inference: what ONNX Runtime does with its fused Attention and
// LayerNorm nodes. A backend that registers ENCODER_LAYER_KERNEL (@attn/tensor-native, for wasm) runs the layer in one
// native call instead of ~30 tfjs kernels. The kernel has no gradient: callers use it only when none is being recorded.
import { tf } from '../tf';
import { fusedKernelsEnabled } from './fused_dispatch';
import { recordingGradients } from '../kernels/wasm_internals';
import { QuantizedWeight } from './int8_linear';

/**
 * One post-LN encoder layer: inputs { x [b, s, h], mask? [b, 1, 1, s] additive, wq, bq, wk, bk, wv, bv, wo, bo,
 * ln1Gamma, ln1Beta, w1, b1, w2, b2, ln2Gamma, ln2Beta } (weights [in, out]); attrs EncoderLayerKernelAttrs;
 * output y [b, s, h].
 */
export const ENCODER_LAYER_KERNEL = 'AttnEncoderLayer';

/** Activation codes of the kernel, by HF hidden_act name. */
export const ENCODER_LAYER_ACTIVATIONS: Readonly<Record<string, number>> = { gelu: 0, gelu_new: 1, gelu_pytorch_tanh: 1, relu: 2 };

export interface EncoderLayerKernelAttrs {
  numHeads: number;
  /** A value of ENCODER_LAYER_ACTIVATIONS. */
  activation: number;
  eps1: number;
  eps2: number;
  /**
   * Int8 projections (a quantized model) for wq, wk, wv, wo, w1, w2, null where float; their weight inputs are then
   * placeholders (the bias) that the kernel does not read.
   */
  int8?: Array<QuantizedWeight | null>;
  /** Compute only the rows a caller reads (see skipPaddedRows); the kernel may ignore it. */
  skipPadded?: boolean;
  /** Past K and V, compute only each sequence's first row (see readFirstRowsOnly); the kernel may ignore it. */
  firstRowsOnly?: boolean;
}

/** y = x · weight + bias, weight [in, out] float32, or a QuantizedWeight (dynamic int8, as int8Linear). */
export interface EncoderLinearWeights {
  weight: tf.Tensor | QuantizedWeight;
  bias: tf.Tensor;
}

export interface EncoderNormWeights {
  weight: tf.Tensor;
  bias: tf.Tensor;
  eps: number;
}

/** The parameters of one post-LN layer: h = LN1(x + attention(x)); y = LN2(h + output(act(intermediate(h)))). */
export interface EncoderLayerWeights {
  query: EncoderLinearWeights;
  key: EncoderLinearWeights;
  value: EncoderLinearWeights;
  attentionOutput: EncoderLinearWeights;
  attentionNorm: EncoderNormWeights;
  intermediate: EncoderLinearWeights;
  output: EncoderLinearWeights;
  outputNorm: EncoderNormWeights;
}

export interface EncoderLayerOptions {
  numHeads: number;
  /** HF hidden_act: gelu, gelu_new, gelu_pytorch_tanh or relu. */
  activation: string;
  /** [batch, 1, 1, seq] (or [batch, seq]) additive key mask, 0 keep, large negative drop. */
  additiveMask?: tf.Tensor;
}

let enabled: boolean | undefined;
let skipDepth = 0;

/**
 * Runs fn with padding skipped by fused eval-mode encoder layers: with an attention mask, a layer computes only each
 * sequence's real tokens and its first position (packed together, as FasterTransformer's "effective transformer"
 * and PyTorch's nested-tensor fast path do) and passes its padded rows through unchanged. The real rows, and the
 * first position, equal the full computation's (padded keys add exactly nothing to their attention); the padded rows
 * of the hidden states do not. For callers that read only those rows, such as a sequence classifier's pooler.
 */
export function skipPaddedRows<T>(fn: () => T): T {
  skipDepth++;
  try {
    return fn();
  } finally {
    skipDepth--;
  }
}

let firstDepth = 0;
let lastDepth = 0;

/**
 * Runs fn, a backbone's forward, for a caller that reads only each sequence's first position of its output (a
 * sequence classifier's pooler or head): padded rows are skipped as in skipPaddedRows, and the stack's last layer
 * (the call its encoder wraps in lastEncoderLayer) computes K and V for every row but the rest of the layer (Q,
 * attention, output projection, LayerNorms, FFN) for the first rows alone. Those rows equal the full computation's;
 * the last layer's other rows are its input unchanged. K and V are a sixth of a layer's products, so BERT-mini's 4
 * layers do about 21% fewer multiply-adds, BERT-tiny's 2 about 42%. ATTN_FIRST_ROWS=0 (Node) turns it off.
 */
export function readFirstRowsOnly<T>(fn: () => T): T {
  firstDepth++;
  try {
    return skipPaddedRows(fn);
  } finally {
    firstDepth--;
  }
}

/** Runs fn, the last layer of an encoder stack (see readFirstRowsOnly; elsewhere it changes nothing). */
export function lastEncoderLayer<T>(fn: () => T): T {
  lastDepth++;
  try {
    return fn();
  } finally {
    lastDepth--;
  }
}

/** Whether a skipPaddedRows scope is active. */
export function paddedRowsSkipped(): boolean {
  return skipDepth > 0;
}

/** Whether eval-mode encoder layers may run as one fused kernel (default true; ATTN_FUSED_INFER=0 or ATTN_FUSED=0 turn it off). */
export function fusedInferenceEnabled(): boolean {
  if (enabled === undefined) {
    const isNode = typeof process !== 'undefined' && !!process.env;
    enabled = !(isNode && process.env.ATTN_FUSED_INFER === '0');
  }
  return enabled && fusedKernelsEnabled();
}

/** Turns the fused inference layer on or off for this process (overrides ATTN_FUSED_INFER); returns the previous setting. */
export function setFusedInferenceEnabled(on: boolean): boolean {
  const prev = fusedInferenceEnabled();
  enabled = on;
  return prev;
}

const isFloat = (t: tf.Tensor): boolean => t.dtype === 'float32';
const hasShape = (t: tf.Tensor, shape: number[]): boolean => tf.util.arraysEqual(t.shape, shape);

/**
 * Whether encoderLayerInference can run this call: the kernel is registered for the active backend, no gradient is
 * being recorded, x is float32 [b, s, h], the mask (if any) is [b, 1, 1, s] or [b, s], and every weight has its shape.
 */
export function encoderLayerApplies(x: tf.Tensor, w: EncoderLayerWeights, opts: EncoderLayerOptions): boolean {
  if (!fusedInferenceEnabled() || !tf.getKernel(ENCODER_LAYER_KERNEL, tf.getBackend())) return false;
  if (recordingGradients(tf.engine())) return false;
  if (x.rank !== 3 || !isFloat(x) || ENCODER_LAYER_ACTIVATIONS[opts.activation] === undefined) return false;
  const [b, s, h] = x.shape as [number, number, number];
  if (!Number.isInteger(opts.numHeads) || opts.numHeads < 1 || h % opts.numHeads !== 0) return false;
  const mask = opts.additiveMask;
  if (mask && (!isFloat(mask) || !(hasShape(mask, [b, 1, 1, s]) || hasShape(mask, [b, s])))) return false;
  const inter = w.intermediate.weight instanceof QuantizedWeight ? w.intermediate.weight.outFeatures : w.intermediate.weight.shape[1];
  if (inter === undefined || inter < 1) return false;
  const linears: Array<[EncoderLinearWeights, number, number]> = [
    [w.query, h, h],
    [w.key, h, h],
    [w.value, h, h],
    [w.attentionOutput, h, h],
    [w.intermediate, h, inter],
    [w.output, inter, h],
  ];
  for (const [l, i, o] of linears) {
    if (!isFloat(l.bias) || !hasShape(l.bias, [o])) return false;
    if (l.weight instanceof QuantizedWeight) {
      if (l.weight.inFeatures !== i || l.weight.outFeatures !== o) return false;
    } else if (!isFloat(l.weight) || !hasShape(l.weight, [i, o])) return false;
  }
  for (const n of [w.attentionNorm, w.outputNorm]) {
    if (!isFloat(n.weight) || !isFloat(n.bias) || !hasShape(n.weight, [h]) || !hasShape(n.bias, [h]) || !(n.eps >= 0)) return false;
  }
  return true;
}

/** Runs the layer as one kernel; check encoderLayerApplies first. No gradient. */
export function encoderLayerInference(x: tf.Tensor, w: EncoderLayerWeights, opts: EncoderLayerOptions): tf.Tensor {
  const projections = [w.query, w.key, w.value, w.attentionOutput, w.intermediate, w.output];
  const int8 = projections.map((l) => (l.weight instanceof QuantizedWeight ? l.weight : null));
  // An int8 projection's weight input is a placeholder (its bias): the kernel reads the QuantizedWeight from attrs.
  const weightOf = (l: EncoderLinearWeights): tf.Tensor => (l.weight instanceof QuantizedWeight ? l.bias : l.weight);
  const inputs: Record<string, tf.Tensor> = {
    x,
    wq: weightOf(w.query),
    bq: w.query.bias,
    wk: weightOf(w.key),
    bk: w.key.bias,
    wv: weightOf(w.value),
    bv: w.value.bias,
    wo: weightOf(w.attentionOutput),
    bo: w.attentionOutput.bias,
    ln1Gamma: w.attentionNorm.weight,
    ln1Beta: w.attentionNorm.bias,
    w1: weightOf(w.intermediate),
    b1: w.intermediate.bias,
    w2: weightOf(w.output),
    b2: w.output.bias,
    ln2Gamma: w.outputNorm.weight,
    ln2Beta: w.outputNorm.bias,
  };
  if (opts.additiveMask) inputs.mask = opts.additiveMask;
  const attrs: EncoderLayerKernelAttrs = {
    numHeads: opts.numHeads,
    activation: ENCODER_LAYER_ACTIVATIONS[opts.activation]!,
    eps1: w.attentionNorm.eps,
    eps2: w.outputNorm.eps,
    ...(int8.some((q) => q) ? { int8 } : {}),
    ...(skipDepth > 0 && opts.additiveMask ? { skipPadded: true } : {}),
    ...(firstDepth > 0 && lastDepth > 0 ? { firstRowsOnly: true } : {}),
  };
  return tf.engine().runKernel(ENCODER_LAYER_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
