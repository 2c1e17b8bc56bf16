import { tf, type Generator } from '@attn/tensor';
import { Module, Linear, ScaledDotProductAttention, RotaryEmbedding } from '@attn/layers';
import { splitHeads, mergeHeads } from '../attention_heads';
import type { DecoderAttentionCall } from '../decoder_io';
import type { LlamaConfig } from './llama_config';

/**
 * HF LlamaAttention: q/k/v projections (k and v with num_key_value_heads heads: grouped-query attention, the
 * attention implementation repeats them), rotary positions on q and k, causal attention, `o_proj`.
 */
export class LlamaAttention extends Module {
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly o_proj: Linear;
  readonly attention: ScaledDotProductAttention;

  constructor(
    readonly config: LlamaConfig,
    private readonly rotary: RotaryEmbedding,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const { hiddenSize: h, numAttentionHeads: heads, numKeyValueHeads: kv, headDim: d, attentionBias: bias } = config;
    const init = { initializerRange: config.initializerRange, bias };
    this.q_proj = this.registerModule('q_proj', new Linear({ inFeatures: h, outFeatures: heads * d, ...init }, opts));
    this.k_proj = this.registerModule('k_proj', new Linear({ inFeatures: h, outFeatures: kv * d, ...init }, opts));
    this.v_proj = this.registerModule('v_proj', new Linear({ inFeatures: h, outFeatures: kv * d, ...init }, opts));
    this.o_proj = this.registerModule('o_proj', new Linear({ inFeatures: heads * d, outFeatures: h, ...init }, opts));
    this.attention = this.registerModule('attention', new ScaledDotProductAttention({ dropoutRate: config.attentionDropout, causal: true }, opts));
  }

  /** x [batch, seq, hidden] → [batch, seq, hidden]; call.rotary holds this call's cos/sin. */
  forward(x: tf.Tensor, call: DecoderAttentionCall): tf.Tensor {
    return tf.tidy(() => {
      const { numAttentionHeads: heads, numKeyValueHeads: kv } = this.config;
      const { cos, sin } = call.rotary!;
      const q = this.rotary.apply(splitHeads(this.q_proj.forward(x), heads), cos, sin);
      let k = this.rotary.apply(splitHeads(this.k_proj.forward(x), kv), cos, sin);
      let v = splitHeads(this.v_proj.forward(x), kv);
      if (call.cache) ({ keys: k, values: v } = call.cache.update(call.layerIdx, k, v));
      const { output } = this.attention.forward(q, k, v, { additiveMask: call.additiveMask });
      return this.o_proj.forward(mergeHeads(output));
    });
  }
}
