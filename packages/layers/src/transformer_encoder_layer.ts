import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { MultiHeadAttention } from './multi_head_attention';
import { FeedForward } from './feed_forward';
import { fusedEncoderLayerForward, type EncoderLayerParts } from './fused_encoder_layer';

export interface TransformerEncoderLayerConfig {
  hiddenSize: number;
  numHeads: number;
  intermediateSize: number;
  hiddenAct?: string;
  hiddenDropout?: number;
  attentionDropout?: number;
  layerNormEps?: number;
  /** false (default, BERT): post-norm; true: pre-norm. */
  normFirst?: boolean;
  initializerRange?: number;
}

export interface EncoderCallOptions {
  /** [batch, 1, 1, seq] additive key mask (see additiveAttentionMask). */
  additiveMask?: tf.Tensor;
  outputAttentions?: boolean;
}

/**
 * One Transformer block: attention (`attention.*`) then feed-forward (`intermediate.*`, `output.*`), each
 * with its residual and LayerNorm. The feed-forward is registered under '' so its parameters sit at this
 * level, as in HF's BertLayer.
 */
export class TransformerEncoderLayer extends Module {
  readonly attention: MultiHeadAttention;
  readonly feedForward: FeedForward;

  constructor(
    readonly config: TransformerEncoderLayerConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const c = config;
    this.attention = this.registerModule(
      'attention',
      new MultiHeadAttention(
        {
          hiddenSize: c.hiddenSize,
          numHeads: c.numHeads,
          attentionDropout: c.attentionDropout,
          hiddenDropout: c.hiddenDropout,
          layerNormEps: c.layerNormEps,
          normFirst: c.normFirst,
          initializerRange: c.initializerRange,
        },
        opts,
      ),
    );
    this.feedForward = this.registerModule(
      '',
      new FeedForward(
        {
          hiddenSize: c.hiddenSize,
          intermediateSize: c.intermediateSize,
          hiddenAct: c.hiddenAct,
          hiddenDropout: c.hiddenDropout,
          layerNormEps: c.layerNormEps,
          normFirst: c.normFirst,
          initializerRange: c.initializerRange,
        },
        opts,
      ),
    );
  }

  private fusedParts(): EncoderLayerParts {
    const { self, output } = this.attention;
    const ff = this.feedForward;
    return {
      query: self.query,
      key: self.key,
      value: self.value,
      attentionOutput: output.dense,
      attentionNorm: output.LayerNorm,
      intermediate: ff.intermediate.dense,
      output: ff.output.dense,
      outputNorm: ff.output.LayerNorm,
      attention: self.attention,
      numHeads: this.config.numHeads,
      activation: this.config.hiddenAct ?? 'gelu',
    };
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** x: [batch, seq, hidden] → { output: [batch, seq, hidden], probs?: [batch, heads, seq, seq] } */
  forward(x: tf.Tensor, opts: EncoderCallOptions = {}): { output: tf.Tensor; probs?: tf.Tensor } {
    // Eval mode, no gradient: one native call where registered (the probabilities are never formed there).
    if (!opts.outputAttentions && !this.config.normFirst) {
      const output = fusedEncoderLayerForward(this, this.fusedParts(), x, opts.additiveMask);
      if (output) return { output };
    }
    return tf.tidy(() => {
      const a = this.attention.forward(x, opts);
      const output = this.feedForward.forward(a.output);
      return a.probs ? { output, probs: a.probs } : { output };
    });
  }
}
