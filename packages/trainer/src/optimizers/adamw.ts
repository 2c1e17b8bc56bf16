import { adamwKernelApplies, adamwUpdate, tf, type AdamWSlot } from '@attn/tensor';
import type { GradientMap, ParamGroup } from './optimizer';
import { SlotOptimizer } from './slot_optimizer';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  /** Added to the bias-corrected sqrt(v), outside the square root, as torch does. Default 1e-8. */
  eps?: number;
}

/**
 * AdamW exactly as torch.optim.AdamW (amsgrad off):
 *   p ← p·(1 − lr·wd)                        (decoupled decay, Loshchilov & Hutter)
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε)
 * Bias corrections are computed in float64 on the host; the tensors stay float32.
 * Where the active backend registers the fused AttnAdamW kernel (wasm + @attn/tensor-native)
 * and every parameter is float32, a step is one kernel call per (lr, step count) instead of
 * ~10 kernels per parameter; same state, same slots (float32 bias corrections there: ~1e-7 apart).
 */
export class AdamW extends SlotOptimizer {
  readonly type = 'adamw';
  beta1: number;
  beta2: number;
  eps: number;

  constructor(groups: ParamGroup[], opts: AdamWOptions = {}) {
    super(groups);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  protected hyper(): Record<string, number | boolean> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps };
  }

  protected setHyper(h: Record<string, number | boolean>): void {
    this.beta1 = Number(h.beta1 ?? this.beta1);
    this.beta2 = Number(h.beta2 ?? this.beta2);
    this.eps = Number(h.eps ?? this.eps);
  }

  override step(grads: GradientMap, gradScale = 1): void {
    const params = this.paramGroups.flatMap((g) => g.params.filter(([name]) => grads.has(name)).map(([, p]) => ({ param: p })));
    const floats = [...grads.values()].every((g) => g.dtype === 'float32');
    if (params.length === 0 || !floats || !adamwKernelApplies(params)) {
      super.step(grads, gradScale);
      return;
    }
    // One kernel call per distinct (lr, step): usually one for the whole model, since the
    // no-decay group shares the lr and the kernel takes a weight decay per parameter.
    const batches = new Map<string, { lr: number; step: number; slots: AdamWSlot[] }>();
    for (const group of this.paramGroups) {
      for (const [name, param] of group.params) {
        const grad = grads.get(name);
        if (!grad) continue;
        const step = (this.steps.get(name) ?? 0) + 1;
        this.steps.set(name, step);
        const key = `${group.lr}/${step}`;
        const batch = batches.get(key) ?? { lr: group.lr, step, slots: [] };
        batches.set(key, batch);
        batch.slots.push({ param, grad, m: this.moment(name, 'exp_avg', param), v: this.moment(name, 'exp_avg_sq', param), weightDecay: group.weightDecay });
      }
    }
    for (const { lr, step, slots } of batches.values()) {
      // The clip coefficient is applied inside the kernel: the clipped gradients are never written out.
      adamwUpdate(slots, { learningRate: lr, step, beta1: this.beta1, beta2: this.beta2, epsilon: this.eps, gradScale });
    }
  }

  /** The moment slot of `name`, created as zeros (torch's initial state) before its first update. */
  private moment(name: string, slot: string, param: tf.Variable): tf.Variable {
    if (!this.getSlot(name, slot)) tf.tidy(() => this.setSlot(name, slot, tf.zerosLike(param)));
    return this.getSlot(name, slot)!;
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, group: ParamGroup, step: number): void {
    const { lr, weightDecay } = group;
    const decayed = weightDecay !== 0 ? tf.mul(param, 1 - lr * weightDecay) : param;
    const prevM = this.getSlot(name, 'exp_avg');
    const prevV = this.getSlot(name, 'exp_avg_sq');
    // torch initialises both moments to zero, so the first step reduces to (1−β)·g terms.
    const m = prevM ? tf.add(tf.mul(prevM, this.beta1), tf.mul(grad, 1 - this.beta1)) : tf.mul(grad, 1 - this.beta1);
    const g2 = tf.mul(grad, grad);
    const v = prevV ? tf.add(tf.mul(prevV, this.beta2), tf.mul(g2, 1 - this.beta2)) : tf.mul(g2, 1 - this.beta2);
    this.setSlot(name, 'exp_avg', m);
    this.setSlot(name, 'exp_avg_sq', v);
    const biasCorrection1 = 1 - Math.pow(this.beta1, step);
    const biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(this.beta2, step));
    const stepSize = lr / biasCorrection1;
    const denom = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), this.eps);
    param.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
  }
}
