import { tf } from '@attn/tensor';
import type { ParamGroup } from './optimizer';
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
