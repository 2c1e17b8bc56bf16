import { tf, type Generator } from '@attn/tensor';
import { Module, Conv1D, Dropout, ScaledDotProductAttention } from '@attn/layers';
import { splitHeads, mergeHeads } from '../attention_heads';
import type { DecoderAttentionCall } from '../decoder_io';
import type { GPT2Config } from './gpt2_config';

/** HF GPT2Attention: one fused Conv1D `c_attn` gives q, k and v; causal softmax attention; `c_proj` back. */
export class GPT2Attention extends Module {
  readonly c_attn: Conv1D;
  readonly c_proj: Conv1D;
  readonly attn_dropout: ScaledDotProductAttention;
  readonly resid_dropout: Dropout;
  /** Applied to q: undoes the 1/sqrt(d) of the attention when scale_attn_weights is false, adds 1/(layer + 1). */
  private readonly queryScale: number;

  constructor(
    readonly config: GPT2Config,
    layerIdx: number,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const h = config.hiddenSize;
    const init = { initializerRange: config.initializerRange };
    this.c_attn = this.registerModule('c_attn', new Conv1D({ inFeatures: h, outFeatures: 3 * h, ...init }, opts));
    this.c_proj = this.registerModule('c_proj', new Conv1D({ inFeatures: h, outFeatures: h, ...init }, opts));
    this.attn_dropout = this.registerModule('attn_dropout', new ScaledDotProductAttention({ dropoutRate: config.attnPdrop, causal: true }, opts));
    this.resid_dropout = this.registerModule('resid_dropout', new Dropout({ rate: config.residPdrop }, opts));
    let scale = config.scaleAttnWeights ? 1 : Math.sqrt(config.headDim);
    if (config.scaleAttnByInverseLayerIdx) scale /= layerIdx + 1;
    this.queryScale = scale;
  }

  /** x [batch, seq, hidden] → [batch, seq, hidden] */
  forward(x: tf.Tensor, call: DecoderAttentionCall): tf.Tensor {
    return tf.tidy(() => {
      const h = this.config.hiddenSize;
      const heads = this.config.numAttentionHeads;
      const [qh, kh, vh] = tf.split(this.c_attn.forward(x), [h, h, h], -1);
      let q = splitHeads(qh!, heads);
      if (this.queryScale !== 1) q = tf.mul(q, this.queryScale);
      let k = splitHeads(kh!, heads);
      let v = splitHeads(vh!, heads);
      if (call.cache) ({ keys: k, values: v } = call.cache.update(call.layerIdx, k, v));
      const { output } = this.attn_dropout.forward(q, k, v, { additiveMask: call.additiveMask });
      return this.resid_dropout.forward(this.c_proj.forward(mergeHeads(output)));
    });
  }
}
