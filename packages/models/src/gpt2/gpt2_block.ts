import { tf, type Generator } from '@attn/tensor';
import { Module, Conv1D, Dropout, LayerNorm, activation } from '@attn/layers';
import { GPT2Attention } from './gpt2_attention';
import type { DecoderAttentionCall } from '../decoder_io';
import type { GPT2Config } from './gpt2_config';

/** HF GPT2MLP: c_proj(act(c_fc(x))), act = activation_function (gelu_new). */
export class GPT2MLP extends Module {
  readonly c_fc: Conv1D;
  readonly c_proj: Conv1D;
  readonly dropout: Dropout;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: GPT2Config, opts: { rng?: Generator } = {}) {
    super();
    const init = { initializerRange: config.initializerRange };
    this.c_fc = this.registerModule('c_fc', new Conv1D({ inFeatures: config.hiddenSize, outFeatures: config.intermediateSize, ...init }, opts));
    this.c_proj = this.registerModule('c_proj', new Conv1D({ inFeatures: config.intermediateSize, outFeatures: config.hiddenSize, ...init }, opts));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.residPdrop }, opts));
    this.act = activation(config.activationFunction);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.dropout.forward(this.c_proj.forward(this.act(this.c_fc.forward(x)))));
  }
}

/** HF GPT2Block, pre-norm: x + attn(ln_1(x)), then + mlp(ln_2(·)). */
export class GPT2Block extends Module {
  readonly ln_1: LayerNorm;
  readonly attn: GPT2Attention;
  readonly ln_2: LayerNorm;
  readonly mlp: GPT2MLP;

  constructor(config: GPT2Config, layerIdx: number, opts: { rng?: Generator } = {}) {
    super();
    const eps = config.layerNormEpsilon;
    this.ln_1 = this.registerModule('ln_1', new LayerNorm({ normalizedShape: config.hiddenSize, eps }));
    this.attn = this.registerModule('attn', new GPT2Attention(config, layerIdx, opts));
    this.ln_2 = this.registerModule('ln_2', new LayerNorm({ normalizedShape: config.hiddenSize, eps }));
    this.mlp = this.registerModule('mlp', new GPT2MLP(config, opts));
  }

  forward(x: tf.Tensor, call: DecoderAttentionCall): tf.Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.attn.forward(this.ln_1.forward(x), call));
      return tf.add(h, this.mlp.forward(this.ln_2.forward(h)));
    });
  }
}
