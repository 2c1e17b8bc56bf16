import { tf, type Generator } from '@attn/tensor';
import { Module, Linear, RMSNorm, activation, type RotaryEmbedding } from '@attn/layers';
import type { DecoderAttentionCall } from '../decoder_io';
import { LlamaAttention } from './llama_attention';
import type { LlamaConfig } from './llama_config';

/** HF LlamaMLP, SwiGLU (Shazeer 2020): down_proj(act(gate_proj(x)) · up_proj(x)), act = hidden_act (silu). */
export class LlamaMLP extends Module {
  readonly gate_proj: Linear;
  readonly up_proj: Linear;
  readonly down_proj: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: LlamaConfig, opts: { rng?: Generator } = {}) {
    super();
    const { hiddenSize: h, intermediateSize: i } = config;
    const init = { initializerRange: config.initializerRange, bias: config.mlpBias };
    this.gate_proj = this.registerModule('gate_proj', new Linear({ inFeatures: h, outFeatures: i, ...init }, opts));
    this.up_proj = this.registerModule('up_proj', new Linear({ inFeatures: h, outFeatures: i, ...init }, opts));
    this.down_proj = this.registerModule('down_proj', new Linear({ inFeatures: i, outFeatures: h, ...init }, opts));
    this.act = activation(config.hiddenAct);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.down_proj.forward(tf.mul(this.act(this.gate_proj.forward(x)), this.up_proj.forward(x))));
  }
}

/** HF LlamaDecoderLayer, pre-norm with RMSNorm: x + self_attn(input_layernorm(x)), then + mlp(post_attention_layernorm(·)). */
export class LlamaDecoderLayer extends Module {
  readonly self_attn: LlamaAttention;
  readonly mlp: LlamaMLP;
  readonly input_layernorm: RMSNorm;
  readonly post_attention_layernorm: RMSNorm;

  constructor(config: LlamaConfig, rotary: RotaryEmbedding, opts: { rng?: Generator } = {}) {
    super();
    const norm = { normalizedShape: config.hiddenSize, eps: config.rmsNormEps };
    this.self_attn = this.registerModule('self_attn', new LlamaAttention(config, rotary, opts));
    this.mlp = this.registerModule('mlp', new LlamaMLP(config, opts));
    this.input_layernorm = this.registerModule('input_layernorm', new RMSNorm(norm));
    this.post_attention_layernorm = this.registerModule('post_attention_layernorm', new RMSNorm(norm));
  }

  forward(x: tf.Tensor, call: DecoderAttentionCall): tf.Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.self_attn.forward(this.input_layernorm.forward(x), call));
      return tf.add(h, this.mlp.forward(this.post_attention_layernorm.forward(h)));
    });
  }
}
