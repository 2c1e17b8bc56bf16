// LayerNorm over the last axis as one forward and one backward kernel. The forward also
// returns mean and 1/std per row so the backward needs no second pass over x for them.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, requireFloatWasm } from '../wasm_heap';

import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from '@attn/tensor';

/** Kernel names (spelled once, in @attn/tensor, whose layerNorm dispatches to them). */
export { LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL };

export function nativeLayerNorm(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tf.TensorInfo;
    const gamma = inputs.gamma as tf.TensorInfo;
    const beta = inputs.beta as tf.TensorInfo;
    requireFloatWasm(backend, [x, gamma, beta], LAYER_NORM_KERNEL);
    const cols = x.shape[x.shape.length - 1] ?? 1;
    const rows = cols === 0 ? 0 : x.shape.reduce((p, d) => p * d, 1) / cols;
    const y = heapOutput(backend, [...x.shape]);
    const mean = heapOutput(backend, [...x.shape.slice(0, -1), 1]);
    const rstd = heapOutput(backend, [...x.shape.slice(0, -1), 1]);
    const eps = (attrs?.eps as number | undefined) ?? 1e-12;
    addon.layerNorm(
      heapBuffer(backend),
      heapOffset(backend, x),
      heapOffset(backend, gamma),
      heapOffset(backend, beta),
      heapOffset(backend, y),
      heapOffset(backend, mean),
      heapOffset(backend, rstd),
      rows,
      cols,
      eps,
    );
    return [y, mean, rstd];
  };
}

export function nativeLayerNormGrad(addon: NativeAddon): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, x, gamma, mean, rstd } = inputs as Record<string, tf.TensorInfo>;
    requireFloatWasm(backend, [dy!, x!, gamma!, mean!, rstd!], LAYER_NORM_GRAD_KERNEL);
    const cols = x!.shape[x!.shape.length - 1] ?? 1;
    const rows = cols === 0 ? 0 : x!.shape.reduce((p, d) => p * d, 1) / cols;
    const dx = heapOutput(backend, [...x!.shape]);
    const dgamma = heapOutput(backend, [...gamma!.shape]);
    const dbeta = heapOutput(backend, [...gamma!.shape]);
    addon.layerNormGrad(
      heapBuffer(backend),
      heapOffset(backend, dy!),
      heapOffset(backend, x!),
      heapOffset(backend, gamma!),
      heapOffset(backend, mean!),
      heapOffset(backend, rstd!),
      heapOffset(backend, dx),
      heapOffset(backend, dgamma),
      heapOffset(backend, dbeta),
      rows,
      cols,
    );
    return [dx, dgamma, dbeta];
  };
}
