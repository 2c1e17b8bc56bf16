import { tf, randomNormal, randomUniform, type Generator } from '@attn/tensor';

/**
 * How layers create their initial weights: values are drawn in JS from a seeded Generator (the caller's,
 * or @attn/tensor's global one), so the same seed gives the same model on every backend.
 */
export interface InitOptions {
  /** Random source for the initial values; default globalGenerator(). */
  rng?: Generator;
}

// While deferParameterInit runs, variables start as zeros and remember how to initialise themselves:
// loading a checkpoint then draws random values only for the parameters it lacks (HF's no_init_weights).
let deferred: Map<tf.Variable, () => tf.Tensor> | null = null;

/** A variable holding make()'s value, or zeros plus a deferred make() inside deferParameterInit. */
export function initVariable(shape: number[], make: () => tf.Tensor): tf.Variable {
  if (deferred) {
    const v = tf.tidy(() => tf.variable(tf.zeros(shape)));
    deferred.set(v, make);
    return v;
  }
  return tf.tidy(() => tf.variable(make()));
}

export interface DeferredInit<T> {
  value: T;
  /** Runs the skipped initialisers of these variables (in the order given); the others keep their values. */
  materialize(vars: Iterable<tf.Variable>): void;
}

/**
 * Builds modules without drawing their initial values (they start as zeros); call materialize() for the
 * parameters that nothing else fills. Loading BERT-base this way skips ~110M random draws.
 */
export function deferParameterInit<T>(build: () => T): DeferredInit<T> {
  if (deferred) throw new Error('deferParameterInit does not nest.');
  const pending = new Map<tf.Variable, () => tf.Tensor>();
  deferred = pending;
  let value: T;
  try {
    value = build();
  } finally {
    deferred = null;
  }
  return {
    value,
    materialize(vars) {
      for (const v of vars) {
        const make = pending.get(v);
        if (!make) continue;
        tf.tidy(() => v.assign(make()));
        pending.delete(v);
      }
    },
  };
}

/** normal(0, std): HF BERT's init for Linear and Embedding weights. */
export function normalVariable(shape: number[], std: number, rng?: Generator): tf.Variable {
  return initVariable(shape, () => randomNormal(shape, { mean: 0, std, rng }));
}

/** uniform(-limit, limit): torch's kaiming_uniform(a=sqrt 5) for a Linear is limit = 1/sqrt(in). */
export function uniformVariable(shape: number[], limit: number, rng?: Generator): tf.Variable {
  return initVariable(shape, () => randomUniform(shape, { minval: -limit, maxval: limit, rng }));
}

export function constantVariable(shape: number[], value: number): tf.Variable {
  return initVariable(shape, () => tf.fill(shape, value, 'float32'));
}
