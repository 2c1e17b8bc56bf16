import { tf, dropout, globalGenerator, type Generator } from '@attn/tensor';
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

  /** A fresh mask seed per call, drawn from the seeded generator so a seeded run repeats. */
  nextSeed(): number {
    return (this.rng ?? globalGenerator()).nextSeed();
  }

  forward(x: tf.Tensor): tf.Tensor {
    const rate = this.activeRate;
    if (rate === 0) return x;
    return dropout(x, rate, this.nextSeed());
  }
}
