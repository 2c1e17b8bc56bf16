// Names of the fused kernels attn's ops dispatch to when a backend registers them
// (@attn/tensor-native does, for wasm). The one place these strings are spelled.

/** GELU forward: inputs { x }, output y (float32, same shape). */
export const GELU_KERNEL = 'AttnGelu';
/** GELU backward: inputs { dy, x }, output dx. */
export const GELU_GRAD_KERNEL = 'AttnGeluGrad';
/** LayerNorm over the last axis: inputs { x, gamma, beta }, attr { eps }, outputs [y, mean, rstd] (mean, rstd: [..., 1]). */
export const LAYER_NORM_KERNEL = 'AttnLayerNorm';
/** LayerNorm backward: inputs { dy, x, gamma, mean, rstd }, outputs [dx, dgamma, dbeta]. */
export const LAYER_NORM_GRAD_KERNEL = 'AttnLayerNormGrad';
/** Dynamic int8 Linear: inputs { x [rows, in], bias? [out] }, attr { weight: QuantizedWeight }, output [rows, out]. */
export const INT8_LINEAR_KERNEL = 'AttnInt8Linear';
/** AdamW over many parameters: inputs p0, g0, m0, v0, p1, …; attrs AdamWKernelAttrs; outputs p, m, v per parameter. */
export const ADAMW_KERNEL = 'AttnAdamW';

/** Attributes of ADAMW_KERNEL. */
export interface AdamWKernelAttrs {
  count: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count for the bias corrections. */
  step: number;
  /** One weight decay per parameter. */
  weightDecay: number[];
  /** Every gradient is multiplied by this (in float32) before the update: gradient clipping's coefficient. Default 1. */
  gradScale?: number;
}
