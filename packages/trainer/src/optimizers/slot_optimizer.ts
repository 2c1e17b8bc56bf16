import { tf } from '@attn/tensor';
import type { GradientMap, Optimizer, OptimizerStateDict, ParamGroup } from './optimizer';
import { TrainingError } from '../training_error';

/**
 * Shared machinery of optimizers that keep per-parameter state tensors ("slots": Adam's
 * moments, SGD's momentum buffer). Slots are non-trainable variables created lazily on a
 * parameter's first update, as torch creates `optimizer.state[p]`, and updated in place with
 * `assign` so their memory is reused step after step.
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly type: string;
  readonly paramGroups: ParamGroup[];
  /** Updates each parameter has received. */
  protected readonly steps = new Map<string, number>();
  private readonly slots = new Map<string, tf.Variable>();

  constructor(groups: ParamGroup[]) {
    this.paramGroups = groups.map((g) => ({ ...g, initialLr: g.initialLr ?? g.lr }));
    const seen = new Set<string>();
    for (const g of this.paramGroups) {
      for (const [name] of g.params) {
        if (seen.has(name)) {
          throw new TrainingError(`Parameter "${name}" appears in more than one optimizer param group; give each parameter one group.`);
        }
        seen.add(name);
      }
    }
  }

  /** Hyper-parameters other than lr / weight decay, written to the state dict. */
  protected abstract hyper(): Record<string, number | boolean>;
  protected abstract setHyper(h: Record<string, number | boolean>): void;

  /** Update one parameter; called inside tf.tidy. */
  protected abstract update(name: string, param: tf.Variable, grad: tf.Tensor, group: ParamGroup, step: number): void;

  readonly supportsGradScale = true;

  step(grads: GradientMap, gradScale = 1): void {
    for (const group of this.paramGroups) {
      for (const [name, param] of group.params) {
        const grad = grads.get(name);
        if (!grad) continue;
        const step = (this.steps.get(name) ?? 0) + 1;
        this.steps.set(name, step);
        tf.tidy(() => this.update(name, param, gradScale === 1 ? grad : tf.mul(grad, gradScale), group, step));
      }
    }
  }

  /** The slot `name.slot`, or undefined before the parameter's first update. */
  protected getSlot(name: string, slot: string): tf.Variable | undefined {
    return this.slots.get(`${name}.${slot}`);
  }

  /** Sets a slot to `value` (creating it on first use); `value` is not consumed. */
  protected setSlot(name: string, slot: string, value: tf.Tensor): void {
    const key = `${name}.${slot}`;
    const existing = this.slots.get(key);
    if (existing) existing.assign(value);
    else this.slots.set(key, tf.variable(value, false));
  }

  stateDict(): OptimizerStateDict {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [key, v] of this.slots) tensors[key] = tf.clone(v);
    return {
      type: this.type,
      steps: Object.fromEntries(this.steps),
      groups: this.paramGroups.map((g) => ({
        names: g.params.map(([n]) => n),
        lr: g.lr,
        weightDecay: g.weightDecay,
        initialLr: g.initialLr,
      })),
      hyper: this.hyper(),
      tensors,
    };
  }

  loadStateDict(state: OptimizerStateDict): void {
    if (state.type !== this.type) {
      throw new TrainingError(
        `Optimizer state is for "${state.type}" but this optimizer is "${this.type}"; resume with the same optim argument that saved the checkpoint.`,
      );
    }
    if (state.groups.length !== this.paramGroups.length) {
      throw new TrainingError(
        `Optimizer state has ${state.groups.length} param groups, this optimizer ${this.paramGroups.length}; the trainable parameters or the weight-decay grouping changed since the checkpoint.`,
      );
    }
    state.groups.forEach((saved, i) => {
      const group = this.paramGroups[i]!;
      const names = group.params.map(([n]) => n);
      if (saved.names.length !== names.length || saved.names.some((n, j) => n !== names[j])) {
        throw new TrainingError(
          `Optimizer param group ${i} holds [${saved.names.slice(0, 3).join(', ')}…] (${saved.names.length}) in the checkpoint but [${names.slice(0, 3).join(', ')}…] (${names.length}) now; freeze the same parameters as when the checkpoint was saved.`,
        );
      }
      group.lr = saved.lr;
      group.weightDecay = saved.weightDecay;
      if (saved.initialLr !== undefined) group.initialLr = saved.initialLr;
    });
    this.setHyper(state.hyper);
    this.steps.clear();
    for (const [n, s] of Object.entries(state.steps)) this.steps.set(n, s);
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
    for (const [key, t] of Object.entries(state.tensors)) this.slots.set(key, tf.variable(t, false));
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}

