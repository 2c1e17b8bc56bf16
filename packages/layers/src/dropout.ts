import { tf, dropoutMask, globalGenerator, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import type { InitOptions } from './parameter_init';

export interface DropoutConfig {
  rate: number;
}

/** Zeroes activations with probability `rate` and scales the rest by 1/(1-rate), in training mode only. */
export class Dropout extends Module {
  private readonly rng?: Generator;

  constructor(
    readonly config: DropoutConfig,
    opts: InitOptions = {},
  ) {
    super();
    this.rng = opts.rng;
    if (!(config.rate >= 0 && config.rate < 1)) throw new Error(`Dropout: rate must be in [0, 1), got ${config.rate}.`);
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** The rate in effect now: 0 in eval mode. */
  get activeRate(): number {
    return this.training ? this.config.rate : 0;
  }

  /** The generator the masks' seeds come from (gradient checkpointing replays it). */
  forwardGenerator(): Generator {
    return this.rng ?? globalGenerator();
  }

  /** A fresh mask seed per call, drawn from the seeded generator so a seeded run repeats. */
  nextSeed(): number {
    return this.forwardGenerator().nextSeed();
  }

  forward(x: tf.Tensor): tf.Tensor {
    const rate = this.activeRate;
    if (rate === 0) return x;
    return applyDropout(x, rate, this.nextSeed());
  }
}

/**
 * x ⊙ mask with the gradient dy ⊙ mask, the mask being @attn/tensor's dropoutMask(seed) (so the
 * values equal @attn/tensor's dropout bit for bit). As a custom gradient because tfjs's Multiply
 * gradient casts the saved mask to float32 first, a copy of an activation-sized tensor on every
 * dropout of every backward pass.
 */
function applyDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  // customGrad passes the inputs then the save function; tfjs types them as one variadic list.
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const mask = dropoutMask(input.shape, rate, seed);
    save([mask]);
    return { value: tf.mul(input, mask), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x);
}
