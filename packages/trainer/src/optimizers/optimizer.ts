import type { tf } from '@attn/tensor';

/** A named parameter, as Module.namedParameters() returns it. */
export type NamedParameter = [name: string, variable: tf.Variable];

/** Parameters that share hyper-parameters (torch's param_groups). */
export interface ParamGroup {
  params: NamedParameter[];
  /** Current learning rate; schedulers write it before each step. */
  lr: number;
  weightDecay: number;
  /** The learning rate the group started with (schedulers multiply it). */
  initialLr?: number;
}

/** Gradients by parameter name; a parameter without a gradient is skipped (torch: grad is None). */
export type GradientMap = Map<string, tf.Tensor>;

/**
 * Serialisable optimizer state: JSON-able settings plus named float32 tensors
 * (`<param name>.<slot>`, e.g. `classifier.weight.exp_avg`).
 */
export interface OptimizerStateDict {
  type: string;
  /** Per parameter: number of updates it received (torch keeps `step` per parameter). */
  steps: Record<string, number>;
  groups: { names: string[]; lr: number; weightDecay: number; initialLr?: number }[];
  hyper: Record<string, number | boolean>;
  tensors: Record<string, tf.Tensor>;
}

export interface Optimizer {
  readonly type: string;
  readonly paramGroups: ParamGroup[];
  /**
   * One update of every parameter that has a gradient, like torch's optimizer.step(). Where
   * `supportsGradScale` is true, `gradScale` (default 1) multiplies every gradient first, as gradient
   * clipping's `g · coefficient` does, in float32; AdamW on the fused kernel folds it into the update.
   */
  step(grads: GradientMap, gradScale?: number): void;
  /** Whether step() honours its gradScale argument (the Trainer clips through it then); absent: false. */
  readonly supportsGradScale?: boolean;
  /**
   * State for a checkpoint. The tensors are fresh copies owned by the caller (dispose them
   * after writing), so a later step cannot change what is being saved.
   */
  stateDict(): OptimizerStateDict;
  /** Restores a state from stateDict(); copies the tensors (the caller keeps ownership). */
  loadStateDict(state: OptimizerStateDict): void;
  /** Frees the optimizer's slot variables. */
  dispose(): void;
}
