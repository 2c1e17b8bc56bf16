import { tf, layerNorm } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { constantVariable } from './parameter_init';

export interface LayerNormConfig {
  normalizedShape: number;
  /** Inside the square root; BERT uses 1e-12 (torch's default 1e-5 moves outputs by ~1e-2). */
  eps?: number;
}

/** (x - mean) / sqrt(biased var + eps) * weight + bias over the last axis; weight 1, bias 0 at init. */
export class LayerNorm extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(readonly config: LayerNormConfig) {
    super();
    this.weight = this.registerParameter('weight', constantVariable([config.normalizedShape], 1));
    this.bias = this.registerParameter('bias', constantVariable([config.normalizedShape], 0));
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  forward(x: tf.Tensor): tf.Tensor {
    return layerNorm(x, this.weight, this.bias, this.config.eps ?? 1e-12);
  }
}
