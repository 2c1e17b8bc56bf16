import { tf } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { constantVariable } from './parameter_init';

export interface RMSNormConfig {
  normalizedShape: number;
  /** Llama: rms_norm_eps, 1e-6 (some checkpoints 1e-5). */
  eps?: number;
}

/** weight · x / sqrt(mean(x²) + eps) over the last axis, no centring and no bias (Zhang & Sennrich 2019; HF LlamaRMSNorm). */
export class RMSNorm extends Module {
  readonly weight: tf.Variable;

  constructor(readonly config: RMSNormConfig) {
    super();
    this.weight = this.registerParameter('weight', constantVariable([config.normalizedShape], 1));
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** [..., hidden] → [..., hidden] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const ms = tf.mean(tf.square(x), -1, true);
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.config.eps ?? 1e-6))), this.weight);
    });
  }
}
