import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { Linear } from './linear';
import { LayerNorm } from './layer_norm';
import { Dropout } from './dropout';

export interface ResidualConfig {
  /** Width of the sublayer's output before the projection (attention: hidden; feed-forward: intermediate). */
  inFeatures: number;
  hiddenSize: number;
  dropout?: number;
  layerNormEps?: number;
  /** false (default, BERT): LayerNorm(x + f(x)); true: x + f(LayerNorm(x)). */
  normFirst?: boolean;
  initializerRange?: number;
}

/**
 * A sublayer's output projection, dropout, skip connection and LayerNorm (HF `attention.output` /
 * `output`: dense, dropout, LayerNorm). Post-norm as BERT by default, pre-norm as an option.
 */
export class Residual extends Module {
  dense: Linear;
  readonly LayerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(
    readonly config: ResidualConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    this.dense = this.registerModule(
      'dense',
      new Linear({ inFeatures: config.inFeatures, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, opts),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps ?? 1e-12 }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.dropout ?? 0 }, opts));
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** input: [..., hidden]; sublayer maps it to [..., inFeatures]. */
  forward(input: tf.Tensor, sublayer: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      if (this.config.normFirst) {
        return tf.add(input, this.dropout.forward(this.dense.forward(sublayer(this.LayerNorm.forward(input)))));
      }
      return this.LayerNorm.forward(tf.add(this.dropout.forward(this.dense.forward(sublayer(input))), input));
    });
  }
}
