import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { SelfAttention } from './self_attention';
import { Residual } from './residual';

export interface MultiHeadAttentionConfig {
  hiddenSize: number;
  numHeads: number;
  attentionDropout?: number;
  hiddenDropout?: number;
  layerNormEps?: number;
  normFirst?: boolean;
  initializerRange?: number;
}

export interface MultiHeadAttentionOptions {
  /** [batch, 1, 1, seq] additive key mask (see additiveAttentionMask). */
  additiveMask?: tf.Tensor;
  /** Also return the attention probabilities [batch, heads, seq, seq]. */
  outputAttentions?: boolean;
}

/**
 * Self-attention block with HF names: `self.{query,key,value}`, `output.dense`, `output.LayerNorm`;
 * the residual and LayerNorm included (post-norm unless normFirst).
 */
export class MultiHeadAttention extends Module {
  readonly self: SelfAttention;
  readonly output: Residual;

  constructor(
    readonly config: MultiHeadAttentionConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const { hiddenSize, numHeads, initializerRange } = config;
    this.self = this.registerModule(
      'self',
      new SelfAttention({ hiddenSize, numHeads, attentionDropout: config.attentionDropout, initializerRange }, opts),
    );
    this.output = this.registerModule(
      'output',
      new Residual(
        { inFeatures: hiddenSize, hiddenSize, dropout: config.hiddenDropout, layerNormEps: config.layerNormEps, normFirst: config.normFirst, initializerRange },
        opts,
      ),
    );
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** x: [batch, seq, hidden] → { output: [batch, seq, hidden], probs? } */
  forward(x: tf.Tensor, opts: MultiHeadAttentionOptions = {}): { output: tf.Tensor; probs?: tf.Tensor } {
    return tf.tidy(() => {
      let probs: tf.Tensor | undefined;
      const output = this.output.forward(x, (h) => {
        const r = this.self.forward(h, { additiveMask: opts.additiveMask, returnProbs: opts.outputAttentions });
        probs = r.probs;
        return r.context;
      });
      return probs ? { output, probs } : { output };
    });
  }
}
