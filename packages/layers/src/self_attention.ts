import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { Linear } from './linear';
import { ScaledDotProductAttention, type AttentionCallOptions } from './scaled_dot_product_attention';

export interface SelfAttentionConfig {
  hiddenSize: number;
  numHeads: number;
  attentionDropout?: number;
  initializerRange?: number;
}

/**
 * The query/key/value projections and the attention itself (HF `attention.self`); returns the merged
 * context [batch, seq, hidden] before the output projection.
 */
export class SelfAttention extends Module {
  query: Linear;
  key: Linear;
  value: Linear;
  readonly attention: ScaledDotProductAttention;
  readonly headDim: number;

  constructor(
    readonly config: SelfAttentionConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const { hiddenSize, numHeads } = config;
    if (hiddenSize % numHeads !== 0) {
      throw new Error(`SelfAttention: hidden size ${hiddenSize} is not a multiple of the number of heads ${numHeads}.`);
    }
    this.headDim = hiddenSize / numHeads;
    const lin = { inFeatures: hiddenSize, outFeatures: hiddenSize, initializerRange: config.initializerRange };
    this.query = this.registerModule('query', new Linear(lin, opts));
    this.key = this.registerModule('key', new Linear(lin, opts));
    this.value = this.registerModule('value', new Linear(lin, opts));
    // No parameters, so it adds no names; registered so train()/eval() reach its dropout.
    this.attention = this.registerModule('attention', new ScaledDotProductAttention({ dropoutRate: config.attentionDropout ?? 0 }, opts));
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  // [b, s, hidden] → [b, heads, s, headDim]: reshape to [b, s, heads, d] then transpose (HF's split).
  private splitHeads(x: tf.Tensor): tf.Tensor {
    const [b, s] = x.shape as [number, number, number];
    return tf.transpose(tf.reshape(x, [b, s, this.config.numHeads, this.headDim]), [0, 2, 1, 3]);
  }

  forward(x: tf.Tensor, opts: AttentionCallOptions = {}): { context: tf.Tensor; probs?: tf.Tensor } {
    return tf.tidy(() => {
      const [b, s, h] = x.shape as [number, number, number];
      const q = this.splitHeads(this.query.forward(x));
      const k = this.splitHeads(this.key.forward(x));
      const v = this.splitHeads(this.value.forward(x));
      const { output, probs } = this.attention.forward(q, k, v, opts);
      const context = tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [b, s, h]);
      return probs ? { context, probs } : { context };
    });
  }
}
