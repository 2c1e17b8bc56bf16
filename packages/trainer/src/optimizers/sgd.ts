import { tf } from '@attn/tensor';
import type { ParamGroup } from './optimizer';
import { SlotOptimizer } from './slot_optimizer';

export interface SGDOptions {
  momentum?: number;
  /** Dampening of the momentum buffer (torch default 0). */
  dampening?: number;
  nesterov?: boolean;
}

/**
 * SGD exactly as torch.optim.SGD:
 *   g ← g + wd·p                            (L2 decay, added to the gradient)
 *   buf ← g at the first step, else momentum·buf + (1−dampening)·g
 *   g ← nesterov ? g + momentum·buf : buf
 *   p ← p − lr·g
 */
export class SGD extends SlotOptimizer {
  readonly type = 'sgd';
  momentum: number;
  dampening: number;
  nesterov: boolean;

  constructor(groups: ParamGroup[], opts: SGDOptions = {}) {
    super(groups);
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.nesterov = opts.nesterov ?? false;
  }

  protected hyper(): Record<string, number | boolean> {
    return { momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov };
  }

  protected setHyper(h: Record<string, number | boolean>): void {
    this.momentum = Number(h.momentum ?? this.momentum);
    this.dampening = Number(h.dampening ?? this.dampening);
    this.nesterov = Boolean(h.nesterov ?? this.nesterov);
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, group: ParamGroup): void {
    const { lr, weightDecay } = group;
    let g = weightDecay !== 0 ? tf.add(grad, tf.mul(param, weightDecay)) : grad;
    if (this.momentum !== 0) {
      const prev = this.getSlot(name, 'momentum_buffer');
      const buf = prev ? tf.add(tf.mul(prev, this.momentum), tf.mul(g, 1 - this.dampening)) : tf.clone(g);
      this.setSlot(name, 'momentum_buffer', buf);
      g = this.nesterov ? tf.add(g, tf.mul(buf, this.momentum)) : buf;
    }
    param.assign(tf.sub(param, tf.mul(g, lr)));
  }
}
