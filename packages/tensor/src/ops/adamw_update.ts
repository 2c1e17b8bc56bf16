// One AdamW step over many parameters: a single AttnAdamW kernel call where the active
// backend registers it (wasm + @attn/tensor-native), tfjs ops elsewhere. Semantics of
// torch.optim.AdamW: decoupled decay p ← p·(1 − lr·wd), then
// p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
import { tf } from '../tf';
import { hasFusedKernels } from './fused_dispatch';
import { ADAMW_KERNEL, type AdamWKernelAttrs } from './fused_kernel_names';

export interface AdamWSlot {
  param: tf.Variable;
  grad: tf.Tensor;
  /** First and second moment, same shape as param, zeros before step 1. */
  m: tf.Variable;
  v: tf.Variable;
  /** Overrides AdamWUpdateOptions.weightDecay (0 for biases and LayerNorm weights). */
  weightDecay?: number;
}

export interface AdamWUpdateOptions {
  learningRate: number;
  /** 1-based count of steps taken including this one. */
  step: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 (PyTorch's default; HF Trainer also uses 1e-8). */
  epsilon?: number;
  /** Default 0.01 (torch.optim.AdamW). */
  weightDecay?: number;
  /**
   * Multiplies every gradient first, as `tf.mul(grad, gradScale)` would (float32): gradient clipping's coefficient,
   * folded into the update so the clipped gradients are never written out. Default 1.
   */
  gradScale?: number;
  /**
   * Parameters (floats) per AttnAdamW kernel call, default ADAMW_FLOATS_PER_CALL. A call writes a new param, m and v
   * for each of its slots before the old ones are released, so one call over a whole model needs 3 × its size again
   * at once. A single parameter larger than this gets a call of its own. The results do not depend on it.
   */
  floatsPerCall?: number;
}

/**
 * 16M floats: the kernel's extra memory is at most 3 × 64 MB (or 3 × the largest single parameter), where one call
 * over all of BERT-base needed 3 × 440 MB = 1.3 GB at the optimizer step, the training step's peak in the 4 GB wasm
 * heap.
 */
export const ADAMW_FLOATS_PER_CALL = 1 << 24;

export class AdamWSlotError extends Error {
  override name = 'AdamWSlotError';
}

function check(slots: AdamWSlot[], opts: AdamWUpdateOptions): void {
  if (!(opts.step >= 1) || !Number.isInteger(opts.step)) {
    throw new AdamWSlotError(`adamwUpdate: options.step must be an integer ≥ 1 (steps count from 1), got ${opts.step}.`);
  }
  if (opts.gradScale !== undefined && !(opts.gradScale >= 0 && Number.isFinite(opts.gradScale))) {
    throw new AdamWSlotError(`adamwUpdate: options.gradScale must be a finite number ≥ 0, got ${opts.gradScale}.`);
  }
  if (opts.floatsPerCall !== undefined && !(Number.isInteger(opts.floatsPerCall) && opts.floatsPerCall >= 1)) {
    throw new AdamWSlotError(`adamwUpdate: options.floatsPerCall must be an integer ≥ 1, got ${opts.floatsPerCall}.`);
  }
  slots.forEach((s, i) => {
    const shape = s.param.shape.join(',');
    for (const [name, t] of [['grad', s.grad], ['m', s.m], ['v', s.v]] as const) {
      if (t.shape.join(',') !== shape || t.dtype !== 'float32') {
        throw new AdamWSlotError(
          `adamwUpdate: slots[${i}].${name} is ${t.dtype} [${t.shape}], expected float32 [${shape}] like slots[${i}].param (${s.param.name}).`,
        );
      }
    }
  });
}

/** Whether adamwUpdate(slots) would take the one-kernel path on the active backend. */
export function adamwKernelApplies(slots: readonly Pick<AdamWSlot, 'param'>[]): boolean {
  return hasFusedKernels(ADAMW_KERNEL) && slots.every((s) => s.param.dtype === 'float32');
}

/** Updates every param, m and v of `slots` in place (variable.assign) with one AdamW step. */
export function adamwUpdate(slots: AdamWSlot[], opts: AdamWUpdateOptions): void {
  check(slots, opts);
  const beta1 = opts.beta1 ?? 0.9;
  const beta2 = opts.beta2 ?? 0.999;
  const eps = opts.epsilon ?? 1e-8;
  const gradScale = opts.gradScale ?? 1;
  const decay = (s: AdamWSlot) => s.weightDecay ?? opts.weightDecay ?? 0.01;
  const live = slots.filter((s) => s.param.size > 0);
  if (live.length === 0) return;
  if (adamwKernelApplies(live)) {
    const perCall = opts.floatsPerCall ?? ADAMW_FLOATS_PER_CALL;
    for (let start = 0; start < live.length; ) {
      let end = start + 1;
      for (let floats = live[start]!.param.size; end < live.length && floats + live[end]!.param.size <= perCall; end++) floats += live[end]!.param.size;
      const chunk = live.slice(start, end);
      // One tidy per call: its outputs replace the old param, m and v (released by assign) before the next call.
      tf.tidy(() => {
        const inputs: Record<string, tf.Tensor> = {};
        chunk.forEach((s, i) => Object.assign(inputs, { [`p${i}`]: s.param, [`g${i}`]: s.grad, [`m${i}`]: s.m, [`v${i}`]: s.v }));
        const attrs: AdamWKernelAttrs = { count: chunk.length, lr: opts.learningRate, beta1, beta2, eps, step: opts.step, weightDecay: chunk.map(decay), gradScale };
        const out = tf.engine().runKernel(ADAMW_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        chunk.forEach((s, i) => {
          s.param.assign(out[3 * i]!);
          s.m.assign(out[3 * i + 1]!);
          s.v.assign(out[3 * i + 2]!);
        });
      });
      start = end;
    }
    return;
  }
  tf.tidy(() => {
    const bc1 = 1 - beta1 ** opts.step;
    const sqrtBc2 = Math.sqrt(1 - beta2 ** opts.step);
    for (const s of live) {
      const grad = gradScale === 1 ? s.grad : tf.mul(s.grad, gradScale);
      const m = tf.add(tf.mul(s.m, beta1), tf.mul(grad, 1 - beta1));
      const v = tf.add(tf.mul(s.v, beta2), tf.mul(tf.square(grad), 1 - beta2));
      const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
      const p = tf.sub(tf.mul(s.param, 1 - opts.learningRate * decay(s)), tf.mul(tf.div(m, denom), opts.learningRate / bc1));
      s.param.assign(p);
      s.m.assign(m);
      s.v.assign(v);
    }
  });
}
