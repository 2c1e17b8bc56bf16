import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { Linear } from './linear';
import { Residual } from './residual';
import { activation } from './activation';

export interface FeedForwardConfig {
  hiddenSize: number;
  intermediateSize: number;
  /** HF hidden_act; default "gelu" (exact erf form). */
  hiddenAct?: string;
  hiddenDropout?: number;
  layerNormEps?: number;
  normFirst?: boolean;
  initializerRange?: number;
}

/** HF `intermediate`: the expanding projection and its activation. */
export class Intermediate extends Module {
  dense: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly config: { hiddenSize: number; intermediateSize: number; hiddenAct?: string; initializerRange?: number },
    opts: { rng?: Generator } = {},
  ) {
    super();
    this.act = activation(config.hiddenAct ?? 'gelu');
    this.dense = this.registerModule(
      'dense',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: config.intermediateSize, initializerRange: config.initializerRange }, opts),
    );
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.act(this.dense.forward(x)));
  }
}

/**
 * Position-wise feed-forward block with HF names: `intermediate.dense` + activation, then `output.dense`,
 * dropout, skip connection and `output.LayerNorm` (post-norm unless normFirst).
 */
export class FeedForward extends Module {
  readonly intermediate: Intermediate;
  readonly output: Residual;

  constructor(
    readonly config: FeedForwardConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const { hiddenSize, intermediateSize, initializerRange } = config;
    this.intermediate = this.registerModule(
      'intermediate',
      new Intermediate({ hiddenSize, intermediateSize, hiddenAct: config.hiddenAct, initializerRange }, opts),
    );
    this.output = this.registerModule(
      'output',
      new Residual(
        { inFeatures: intermediateSize, hiddenSize, dropout: config.hiddenDropout, layerNormEps: config.layerNormEps, normFirst: config.normFirst, initializerRange },
        opts,
      ),
    );
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** [..., hidden] → [..., hidden] */
  forward(x: tf.Tensor): tf.Tensor {
    return this.output.forward(x, (h) => this.intermediate.forward(h));
  }
}
