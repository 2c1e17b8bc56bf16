// Inference through one fused kernel for every post-LN encoder family (BERT, RoBERTa, ELECTRA, ALBERT, DistilBERT):
// each family names its parts differently, so its layer hands them over as EncoderLayerParts and falls back to its
// own ops whenever this returns undefined.
import { tf, encoderLayerApplies, encoderLayerInference, type EncoderLayerWeights } from '@attn/tensor';
import { Linear } from './linear';
import { QuantizedLinear } from './quantized_linear';
import { LayerNorm } from './layer_norm';
import type { Module } from './module';
import type { ScaledDotProductAttention } from './scaled_dot_product_attention';

/** The modules of one post-LN layer: h = attentionNorm(x + attentionOutput(attn(q, k, v))); y = outputNorm(h + output(act(intermediate(h)))). */
export interface EncoderLayerParts {
  query: Linear | QuantizedLinear;
  key: Linear | QuantizedLinear;
  value: Linear | QuantizedLinear;
  attentionOutput: Linear | QuantizedLinear;
  attentionNorm: LayerNorm;
  intermediate: Linear | QuantizedLinear;
  output: Linear | QuantizedLinear;
  outputNorm: LayerNorm;
  attention: ScaledDotProductAttention;
  numHeads: number;
  /** HF hidden_act. */
  activation: string;
}

// Implementations that compute plain softmax attention; another registered one (or a causal one) keeps its own path.
const PLAIN_ATTENTION = new Set([undefined, 'sdpa', 'eager', 'memory_efficient']);

// Exactly Linear (or QuantizedLinear: the kernel runs its int8 product) / LayerNorm: a subclass (LoRALinear, an adapter) computes something else.
const plainLinear = (l: Linear | QuantizedLinear): boolean =>
  (Object.getPrototypeOf(l) === Linear.prototype || Object.getPrototypeOf(l) === QuantizedLinear.prototype) && l.bias !== undefined;
const plainNorm = (n: LayerNorm): boolean => Object.getPrototypeOf(n) === LayerNorm.prototype;

// Every module under a layer, listed once (namedModules walks and allocates on every call: ~60 µs a layer, measured).
// A module swapped in later (LoRA) is caught by the parts check below, which reads the parts at each call.
const modulesOf = new WeakMap<Module, Module[]>();

function anyTraining(layer: Module): boolean {
  let list = modulesOf.get(layer);
  if (!list) {
    list = layer.namedModules().map(([, m]) => m);
    modulesOf.set(layer, list);
  }
  return list.some((m) => m.training);
}

/**
 * The layer's output through the fused kernel, or undefined when it does not apply: training mode anywhere in
 * `layer`, a gradient being recorded, LoRA or other wrapped modules, an attention implementation other than
 * sdpa / eager / memory_efficient, an unsupported activation, no kernel registered (no addon), or ATTN_FUSED_INFER=0.
 */
export function fusedEncoderLayerForward(layer: Module, parts: EncoderLayerParts, x: tf.Tensor, additiveMask?: tf.Tensor): tf.Tensor | undefined {
  if (anyTraining(layer) || parts.attention.training) return undefined;
  const linears = [parts.query, parts.key, parts.value, parts.attentionOutput, parts.intermediate, parts.output];
  if (!linears.every(plainLinear) || !plainNorm(parts.attentionNorm) || !plainNorm(parts.outputNorm)) return undefined;
  const sdpa = parts.attention.config;
  if (sdpa.causal || !PLAIN_ATTENTION.has(sdpa.implementation)) return undefined;
  const lin = (l: Linear | QuantizedLinear) => ({ weight: l.weight, bias: l.bias! });
  const norm = (n: LayerNorm) => ({ weight: n.weight, bias: n.bias, eps: n.config.eps ?? 1e-12 });
  const weights: EncoderLayerWeights = {
    query: lin(parts.query),
    key: lin(parts.key),
    value: lin(parts.value),
    attentionOutput: lin(parts.attentionOutput),
    attentionNorm: norm(parts.attentionNorm),
    intermediate: lin(parts.intermediate),
    output: lin(parts.output),
    outputNorm: norm(parts.outputNorm),
  };
  const opts = { numHeads: parts.numHeads, activation: parts.activation, additiveMask };
  if (!encoderLayerApplies(x, weights, opts)) return undefined;
  return encoderLayerInference(x, weights, opts);
}
