// The seam between memoryEfficientAttention and a backend's tiled attention kernels (FlashAttention-style:
// @attn/tensor-native registers them for wasm). The op runs them when both are registered for the active
// backend; otherwise memoryEfficientAttention's JS tiled path runs.
import { tf } from '../tf';
import { customOp } from './custom_op';
import { hasFusedKernels } from './fused_dispatch';

/**
 * Tiled attention forward: inputs { q, k, v, mask? } (q [b, h, seqQ, d], k and v [b, h, seqK, d], mask float32 of
 * rank 4 with each dim 1 or full), attrs FlashAttentionKernelAttrs, outputs [out, rowMax, rowSum]: the output and,
 * per query row, the score max and Σ exp(s − max) ([b, h, seqQ]) that the backward recomputes probabilities from.
 */
export const FLASH_ATTENTION_KERNEL = 'AttnFlashAttention';
/** Tiled attention backward: inputs { q, k, v, mask?, out, rowMax, rowSum, dy }, same attrs, outputs [dq, dk, dv]. */
export const FLASH_ATTENTION_GRAD_KERNEL = 'AttnFlashAttentionGrad';

export interface FlashAttentionKernelAttrs {
  /** Multiplies q·k (1/sqrt(d)). */
  scale: number;
  /** Query i sees keys j <= i + causalOffset only. */
  causal: boolean;
  causalOffset: number;
  /** Dropout on the probabilities; the kernel derives each entry's keep bit from (seed, row, key) alone. */
  dropoutRate: number;
  /** A non-negative integer below 2^53. */
  seed: number;
  [key: string]: number | boolean;
}

/** Whether the registered kernels can run this call: float32 rank-4 inputs and a mask broadcast per axis. */
export function flashAttentionKernelApplies(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | undefined): boolean {
  if (![q, k, v, ...(mask ? [mask] : [])].every((t) => t.dtype === 'float32')) return false;
  if (mask) {
    const full = [q.shape[0], q.shape[1], q.shape[2], k.shape[2]];
    if (mask.rank !== 4 || !mask.shape.every((n, i) => n === 1 || n === full[i])) return false;
  }
  return hasFusedKernels(FLASH_ATTENTION_KERNEL, FLASH_ATTENTION_GRAD_KERNEL);
}

/** softmax(scale · q kᵀ + mask [+ causal]) (dropped) · v through the kernels, with their backward as the gradient. */
export function flashAttentionKernel(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask: tf.Tensor | undefined,
  attrs: FlashAttentionKernelAttrs,
): tf.Tensor {
  const op = customOp(([qi, ki, vi], save) => {
    const inputs: tf.NamedTensorMap = { q: qi!, k: ki!, v: vi!, ...(mask ? { mask } : {}) };
    const [out, rowMax, rowSum] = tf.engine().runKernel(FLASH_ATTENTION_KERNEL, inputs, attrs) as tf.Tensor[];
    save([qi!, ki!, vi!, out!, rowMax!, rowSum!, ...(mask ? [mask] : [])]);
    return {
      value: out!,
      gradFunc: (dy, [qs, ks, vs, os, ms, ls, maskS]) =>
        tf.engine().runKernel(
          FLASH_ATTENTION_GRAD_KERNEL,
          { q: qs!, k: ks!, v: vs!, out: os!, rowMax: ms!, rowSum: ls!, dy, ...(maskS ? { mask: maskS } : {}) },
          attrs,
        ) as tf.Tensor[],
    };
  });
  return op(q, k, v);
}
