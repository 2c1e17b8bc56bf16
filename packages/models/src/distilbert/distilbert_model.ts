// DistilBERT (Sanh et al. 2019) top to bottom, with HF modeling_distilbert's names: BERT's post-norm block
// with its own keys (q_lin/k_lin/v_lin/out_lin, sa_layer_norm, ffn.lin1/lin2, output_layer_norm), no token
// types, no pooler, and no dropout after the attention's output projection.
import { tf, lastEncoderLayer, type Generator } from '@attn/tensor';
import {
  Module,
  checkpoint,
  type GradientCheckpointable,
  ModuleList,
  Linear,
  Embedding,
  LayerNorm,
  Dropout,
  ScaledDotProductAttention,
  activation,
  additiveAttentionMask,
  initVariable,
  fusedEncoderLayerForward,
  type EncoderLayerParts,
} from '@attn/layers';
import { PreTrainedModel, initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { BertInputError } from '../bert/bert_embeddings';
import { DistilBertConfig } from './distilbert_config';

type Init = { rng?: Generator };

/** pos / 10000^(2⌊j/2⌋ / dim), sin on even j and cos on odd j (HF create_sinusoidal_embeddings). */
function sinusoidTable(positions: number, dim: number): tf.Tensor {
  const values = new Float32Array(positions * dim);
  for (let pos = 0; pos < positions; pos++) {
    for (let j = 0; j < dim; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      values[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [positions, dim]);
}

/** A position table initialised with sin/cos values (sinusoidal_pos_embds); HF 5 trains it as any weight. */
class SinusoidalPositionTable extends Module {
  readonly weight: tf.Variable;

  constructor(positions: number, dim: number) {
    super();
    this.weight = this.registerParameter('weight', initVariable([positions, dim], () => sinusoidTable(positions, dim)));
  }
}

/** `embeddings`: LayerNorm(word + position) then dropout; positions are 0..seq-1. */
export class DistilBertEmbeddings extends Module {
  readonly word_embeddings: Embedding;
  readonly position_embeddings: Module & { weight: tf.Variable };
  readonly LayerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(
    readonly config: DistilBertConfig,
    opts: Init = {},
  ) {
    super();
    const c = config;
    const init = { initializerRange: c.initializerRange };
    this.word_embeddings = this.registerModule('word_embeddings', new Embedding({ numEmbeddings: c.vocabSize, embeddingDim: c.hiddenSize, paddingIdx: c.padTokenId, ...init }, opts));
    this.position_embeddings = this.registerModule(
      'position_embeddings',
      c.sinusoidalPosEmbds
        ? new SinusoidalPositionTable(c.maxPositionEmbeddings, c.hiddenSize)
        : new Embedding({ numEmbeddings: c.maxPositionEmbeddings, embeddingDim: c.hiddenSize, ...init }, opts),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: c.hiddenSize, eps: 1e-12 }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: c.dropout }, opts));
  }

  /** inputIds int32 [batch, seq] → [batch, seq, dim] */
  forward(inputIds: tf.Tensor): tf.Tensor {
    if (inputIds.rank !== 2) throw new BertInputError(`inputIds must be [batch, seq], got shape [${inputIds.shape.join(', ')}].`);
    const seq = inputIds.shape[1]!;
    const { maxPositionEmbeddings, hiddenSize } = this.config;
    if (seq > maxPositionEmbeddings) throw new BertInputError(`Sequence length ${seq} exceeds max_position_embeddings ${maxPositionEmbeddings}; truncate the inputs.`);
    return tf.tidy(() => {
      // Positions 0..seq-1 are a contiguous slice of the table, broadcast over the batch.
      const positions = tf.slice(this.position_embeddings.weight, [0, 0], [seq, hiddenSize]);
      return this.dropout.forward(this.LayerNorm.forward(tf.add(this.word_embeddings.forward(inputIds), positions)));
    });
  }
}

/** `attention`: multi-head self-attention with its output projection `out_lin` (no residual, no norm). */
export class DistilBertSelfAttention extends Module {
  readonly q_lin: Linear;
  readonly k_lin: Linear;
  readonly v_lin: Linear;
  readonly out_lin: Linear;
  readonly sdpa: ScaledDotProductAttention;

  constructor(
    readonly config: DistilBertConfig,
    opts: Init = {},
  ) {
    super();
    const lin = { inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange };
    this.q_lin = this.registerModule('q_lin', new Linear(lin, opts));
    this.k_lin = this.registerModule('k_lin', new Linear(lin, opts));
    this.v_lin = this.registerModule('v_lin', new Linear(lin, opts));
    this.out_lin = this.registerModule('out_lin', new Linear(lin, opts));
    // No parameters: registered so that train()/eval() reach its dropout.
    this.sdpa = this.registerModule('sdpa', new ScaledDotProductAttention({ dropoutRate: config.attentionDropout }, opts));
  }

  /** x [b, s, dim], additiveMask [b, 1, 1, s] → output [b, s, dim], probs [b, heads, s, s] on request */
  forward(x: tf.Tensor, additiveMask?: tf.Tensor, returnProbs = false): { output: tf.Tensor; probs?: tf.Tensor } {
    return tf.tidy(() => {
      const [b, s, dim] = x.shape as [number, number, number];
      const heads = this.config.numAttentionHeads;
      const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [b, s, heads, dim / heads]), [0, 2, 1, 3]); // [b, heads, s, d]
      const r = this.sdpa.forward(split(this.q_lin.forward(x)), split(this.k_lin.forward(x)), split(this.v_lin.forward(x)), { additiveMask, returnProbs });
      const output = this.out_lin.forward(tf.reshape(tf.transpose(r.output, [0, 2, 1, 3]), [b, s, dim]));
      return r.probs ? { output, probs: r.probs } : { output };
    });
  }
}

/** `ffn`: dropout(lin2(act(lin1(x)))). */
export class DistilBertFFN extends Module {
  readonly lin1: Linear;
  readonly lin2: Linear;
  readonly dropout: Dropout;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: DistilBertConfig, opts: Init = {}) {
    super();
    const init = { initializerRange: config.initializerRange };
    this.act = activation(config.activation);
    this.lin1 = this.registerModule('lin1', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenDim, ...init }, opts));
    this.lin2 = this.registerModule('lin2', new Linear({ inFeatures: config.hiddenDim, outFeatures: config.hiddenSize, ...init }, opts));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.dropout }, opts));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.dropout.forward(this.lin2.forward(this.act(this.lin1.forward(x)))));
  }
}

/** `transformer.layer.N`: h = sa_layer_norm(x + attention(x)); out = output_layer_norm(h + ffn(h)). */
export class DistilBertBlock extends Module {
  readonly attention: DistilBertSelfAttention;
  readonly sa_layer_norm: LayerNorm;
  readonly ffn: DistilBertFFN;
  readonly output_layer_norm: LayerNorm;

  constructor(
    readonly config: DistilBertConfig,
    opts: Init = {},
  ) {
    super();
    const norm = { normalizedShape: config.hiddenSize, eps: 1e-12 };
    this.attention = this.registerModule('attention', new DistilBertSelfAttention(config, opts));
    this.sa_layer_norm = this.registerModule('sa_layer_norm', new LayerNorm(norm));
    this.ffn = this.registerModule('ffn', new DistilBertFFN(config, opts));
    this.output_layer_norm = this.registerModule('output_layer_norm', new LayerNorm(norm));
  }

  forward(x: tf.Tensor, additiveMask?: tf.Tensor, returnProbs = false): { output: tf.Tensor; probs?: tf.Tensor } {
    // Eval mode, no gradient: one native call where registered.
    const fused = returnProbs ? undefined : fusedEncoderLayerForward(this, this.fusedParts(), x, additiveMask);
    if (fused) return { output: fused };
    return tf.tidy(() => {
      const a = this.attention.forward(x, additiveMask, returnProbs);
      const h = this.sa_layer_norm.forward(tf.add(a.output, x));
      const output = this.output_layer_norm.forward(tf.add(this.ffn.forward(h), h));
      return a.probs ? { output, probs: a.probs } : { output };
    });
  }

  private fusedParts(): EncoderLayerParts {
    const a = this.attention;
    return {
      query: a.q_lin,
      key: a.k_lin,
      value: a.v_lin,
      attentionOutput: a.out_lin,
      attentionNorm: this.sa_layer_norm,
      intermediate: this.ffn.lin1,
      output: this.ffn.lin2,
      outputNorm: this.output_layer_norm,
      attention: a.sdpa,
      numHeads: this.config.numAttentionHeads,
      activation: this.config.activation,
    };
  }
}

/** `transformer`: the blocks `layer.{i}`, run in order. */
export class DistilBertTransformer extends Module implements GradientCheckpointable {
  /** In training, each layer keeps only its input and is recomputed in backward (see checkpoint). */
  gradientCheckpointing = false;
  readonly layer: ModuleList<DistilBertBlock>;

  constructor(config: DistilBertConfig, opts: Init = {}) {
    super();
    this.layer = this.registerModule('layer', new ModuleList(Array.from({ length: config.numHiddenLayers }, () => new DistilBertBlock(config, opts))));
  }

  /** → the last block's output, plus each block's attention probabilities and the hidden states (input first) on request */
  forward(x: tf.Tensor, additiveMask?: tf.Tensor, opts: { outputAttentions?: boolean; outputHiddenStates?: boolean } = {}): ModelOutput {
    return tf.tidy(() => {
      let h = x;
      const hiddenStates = [h];
      const attentions: tf.Tensor[] = [];
      const blocks = [...this.layer];
      for (const [i, block] of blocks.entries()) {
        if (this.gradientCheckpointing && block.training && !opts.outputAttentions) {
          h = checkpoint(block, (t, [mask]) => block.forward(t, mask).output, h, [additiveMask]);
        } else {
          const call = () => block.forward(h, additiveMask, opts.outputAttentions);
          const r = i === blocks.length - 1 ? lastEncoderLayer(call) : call();
          h = r.output;
          if (r.probs) attentions.push(r.probs);
        }
        hiddenStates.push(h);
      }
      const out: ModelOutput = { lastHiddenState: h };
      if (opts.outputAttentions) out.attentions = attentions;
      if (opts.outputHiddenStates) out.hiddenStates = hiddenStates;
      return out;
    });
  }
}

/** The family's config class and `distilbert.` prefix; PreTrainedModel's freezing layout fits (`embeddings.*`, `transformer.layer.N`). */
export abstract class DistilBertPreTrainedModel extends PreTrainedModel<DistilBertConfig> {
  static override readonly configClass = DistilBertConfig;
  static override readonly familyPrefix: string = 'distilbert';
}

/** HF DistilBertModel: `embeddings`, `transformer.layer.{i}` → lastHiddenState (attentions / hiddenStates on request). */
export class DistilBertModel extends DistilBertPreTrainedModel {
  static override readonly architecture: string = 'DistilBertModel';
  static override readonly task: ModelTask = 'base';
  readonly baseModelPrefix = '';
  readonly embeddings: DistilBertEmbeddings;
  readonly transformer: DistilBertTransformer;

  constructor(
    readonly config: DistilBertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    config.validate();
    const rng = initGenerator(opts);
    this.rng = rng;
    this.embeddings = this.registerModule('embeddings', new DistilBertEmbeddings(config, { rng }));
    this.transformer = this.registerModule('transformer', new DistilBertTransformer(config, { rng }));
  }

  /** Token types are ignored: DistilBERT has none. */
  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const mask = inputs.attentionMask ? additiveAttentionMask(inputs.attentionMask) : undefined;
      return this.transformer.forward(this.embeddings.forward(inputs.inputIds), mask, inputs);
    });
  }
}
