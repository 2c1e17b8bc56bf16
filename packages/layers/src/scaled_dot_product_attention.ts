import { tf, globalGenerator, type Generator } from '@attn/tensor';
import { attentionImplementation } from './attention_implementation';
import { Module, type LayerConfig } from './module';
import type { InitOptions } from './parameter_init';

export interface ScaledDotProductAttentionConfig {
  /** Dropout on the attention probabilities in training mode (BERT: attention_probs_dropout_prob). */
  dropoutRate?: number;
  /** Each query attends to itself and earlier keys only (decoders). */
  causal?: boolean;
  /** A registered attention implementation (HF's attn_implementation); default "sdpa" (fused where faster, else eager). */
  implementation?: string;
}

export interface AttentionCallOptions {
  /** Broadcastable to [batch, heads, seq, seq]; 0 keeps, large negative drops (see additiveAttentionMask). */
  additiveMask?: tf.Tensor;
  returnProbs?: boolean;
}

/** softmax(Q Kᵀ / sqrt(d) + mask) V on [batch, heads, seq, headDim]; no parameters. */
export class ScaledDotProductAttention extends Module {
  private readonly rng?: Generator;

  constructor(
    readonly config: ScaledDotProductAttentionConfig = {},
    opts: InitOptions = {},
  ) {
    super();
    this.rng = opts.rng;
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** The generator the attention-dropout seeds come from (gradient checkpointing replays it). */
  forwardGenerator(): Generator {
    return this.rng ?? globalGenerator();
  }

  forward(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, opts: AttentionCallOptions = {}): { output: tf.Tensor; probs?: tf.Tensor } {
    const rate = this.training ? (this.config.dropoutRate ?? 0) : 0;
    return attentionImplementation(this.config.implementation)(q, k, v, {
      additiveMask: opts.additiveMask,
      causal: this.config.causal,
      returnProbs: opts.returnProbs,
      dropoutRate: rate,
      seed: rate > 0 ? this.forwardGenerator().nextSeed() : undefined,
    });
  }
}

/**
 * Switches every ScaledDotProductAttention under `root` to a registered implementation (HF's
 * set_attn_implementation); returns how many were switched. Unknown names throw before anything changes.
 */
export function setAttentionImplementation(root: Module, name: string): number {
  attentionImplementation(name);
  let n = 0;
  for (const [, m] of root.namedModules()) {
    if (m instanceof ScaledDotProductAttention) {
      m.config.implementation = name;
      n++;
    }
  }
  return n;
}
