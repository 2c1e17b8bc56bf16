// ALBERT (Lan et al. 2020) top to bottom, with HF modeling_albert's names: BERT's embeddings at embedding_size,
// `encoder.embedding_hidden_mapping_in` up to hidden_size, then num_hidden_layers applications of a few shared
// layer groups (one, usually). A shared parameter is one variable used at every application, so its gradients
// from all of them add up.
import { tf, lastEncoderLayer, type Generator } from '@attn/tensor';
import { Module, ModuleList, Linear, LayerNorm, Dropout, ScaledDotProductAttention, activation, additiveAttentionMask, checkpoint, fusedEncoderLayerForward, type GradientCheckpointable, type EncoderLayerParts } from '@attn/layers';
import { PreTrainedModel, initGenerator, type ModelInitOptions, type ModelTask, type ParameterLayout } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { BertEmbeddings } from '../bert/bert_embeddings';
import { AlbertConfig } from './albert_config';

type Init = { rng?: Generator };

/** `attention`: LayerNorm(x + dropout(dense(self-attention(x)))), the projections `query`/`key`/`value` beside `dense`. */
export class AlbertAttention extends Module {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly dense: Linear;
  readonly LayerNorm: LayerNorm;
  readonly sdpa: ScaledDotProductAttention;
  readonly output_dropout: Dropout;

  constructor(
    readonly config: AlbertConfig,
    opts: Init = {},
  ) {
    super();
    const lin = { inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange };
    this.query = this.registerModule('query', new Linear(lin, opts));
    this.key = this.registerModule('key', new Linear(lin, opts));
    this.value = this.registerModule('value', new Linear(lin, opts));
    this.dense = this.registerModule('dense', new Linear(lin, opts));
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps }));
    // No parameters: registered so that train()/eval() reach their dropout.
    this.sdpa = this.registerModule('sdpa', new ScaledDotProductAttention({ dropoutRate: config.attentionProbsDropoutProb }, opts));
    this.output_dropout = this.registerModule('output_dropout', new Dropout({ rate: config.hiddenDropoutProb }, opts));
  }

  /** x [b, s, hidden], additiveMask [b, 1, 1, s] → output [b, s, hidden], probs [b, heads, s, s] on request */
  forward(x: tf.Tensor, additiveMask?: tf.Tensor, returnProbs = false): { output: tf.Tensor; probs?: tf.Tensor } {
    return tf.tidy(() => {
      const [b, s, hidden] = x.shape as [number, number, number];
      const heads = this.config.numAttentionHeads;
      const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [b, s, heads, hidden / heads]), [0, 2, 1, 3]); // [b, heads, s, d]
      const r = this.sdpa.forward(split(this.query.forward(x)), split(this.key.forward(x)), split(this.value.forward(x)), { additiveMask, returnProbs });
      const context = tf.reshape(tf.transpose(r.output, [0, 2, 1, 3]), [b, s, hidden]);
      const output = this.LayerNorm.forward(tf.add(x, this.output_dropout.forward(this.dense.forward(context))));
      return r.probs ? { output, probs: r.probs } : { output };
    });
  }
}

/** `albert_layers.K`: a = attention(x); out = full_layer_layer_norm(a + ffn_output(act(ffn(a)))) (no dropout there, as HF). */
export class AlbertLayer extends Module {
  readonly full_layer_layer_norm: LayerNorm;
  readonly attention: AlbertAttention;
  readonly ffn: Linear;
  readonly ffn_output: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly config: AlbertConfig,
    opts: Init = {},
  ) {
    super();
    const init = { initializerRange: config.initializerRange };
    this.act = activation(config.hiddenAct);
    this.full_layer_layer_norm = this.registerModule('full_layer_layer_norm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps }));
    this.attention = this.registerModule('attention', new AlbertAttention(config, opts));
    this.ffn = this.registerModule('ffn', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.intermediateSize, ...init }, opts));
    this.ffn_output = this.registerModule('ffn_output', new Linear({ inFeatures: config.intermediateSize, outFeatures: config.hiddenSize, ...init }, opts));
  }

  forward(x: tf.Tensor, additiveMask?: tf.Tensor, returnProbs = false): { output: tf.Tensor; probs?: tf.Tensor } {
    // Eval mode, no gradient: one native call where registered.
    const fused = returnProbs ? undefined : fusedEncoderLayerForward(this, this.fusedParts(), x, additiveMask);
    if (fused) return { output: fused };
    return tf.tidy(() => {
      const a = this.attention.forward(x, additiveMask, returnProbs);
      const output = this.full_layer_layer_norm.forward(tf.add(this.ffn_output.forward(this.act(this.ffn.forward(a.output))), a.output));
      return a.probs ? { output, probs: a.probs } : { output };
    });
  }

  private fusedParts(): EncoderLayerParts {
    const a = this.attention;
    return {
      query: a.query,
      key: a.key,
      value: a.value,
      attentionOutput: a.dense,
      attentionNorm: a.LayerNorm,
      intermediate: this.ffn,
      output: this.ffn_output,
      outputNorm: this.full_layer_layer_norm,
      attention: a.sdpa,
      numHeads: this.config.numAttentionHeads,
      activation: this.config.hiddenAct,
    };
  }
}

/** `albert_layer_groups.G`: inner_group_num layers applied in order, together, wherever the group is used. */
export class AlbertLayerGroup extends Module {
  readonly albert_layers: ModuleList<AlbertLayer>;

  constructor(config: AlbertConfig, opts: Init = {}) {
    super();
    this.albert_layers = this.registerModule('albert_layers', new ModuleList(Array.from({ length: config.innerGroupNum }, () => new AlbertLayer(config, opts))));
  }
}

/** The layer group that encoder layer i (of num_hidden_layers) applies, as HF computes it. */
export function albertGroupOfLayer(config: AlbertConfig, i: number): number {
  return Math.floor(i / (config.numHiddenLayers / config.numHiddenGroups));
}

/** `encoder`: embedding_hidden_mapping_in, then layer group albertGroupOfLayer(i) for each of num_hidden_layers layers. */
export class AlbertTransformer extends Module implements GradientCheckpointable {
  /** In training, each layer application keeps only its input and is recomputed in backward (see checkpoint). */
  gradientCheckpointing = false;
  readonly embedding_hidden_mapping_in: Linear;
  readonly albert_layer_groups: ModuleList<AlbertLayerGroup>;

  constructor(
    readonly config: AlbertConfig,
    opts: Init = {},
  ) {
    super();
    this.embedding_hidden_mapping_in = this.registerModule(
      'embedding_hidden_mapping_in',
      new Linear({ inFeatures: config.embeddingSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, opts),
    );
    this.albert_layer_groups = this.registerModule('albert_layer_groups', new ModuleList(Array.from({ length: config.numHiddenGroups }, () => new AlbertLayerGroup(config, opts))));
  }

  /** x [b, s, embedding_size] → the last layer's output; each layer application's attention probabilities and output (mapped input first) on request */
  forward(x: tf.Tensor, additiveMask?: tf.Tensor, opts: { outputAttentions?: boolean; outputHiddenStates?: boolean } = {}): ModelOutput {
    return tf.tidy(() => {
      let h = this.embedding_hidden_mapping_in.forward(x);
      const hiddenStates = [h];
      const attentions: tf.Tensor[] = [];
      for (let i = 0; i < this.config.numHiddenLayers; i++) {
        const group = [...this.albert_layer_groups.at(albertGroupOfLayer(this.config, i)).albert_layers];
        for (const [j, layer] of group.entries()) {
          if (this.gradientCheckpointing && layer.training && !opts.outputAttentions) {
            h = checkpoint(layer, (t, [mask]) => layer.forward(t, mask).output, h, [additiveMask]);
          } else {
            const call = () => layer.forward(h, additiveMask, opts.outputAttentions);
            const r = i === this.config.numHiddenLayers - 1 && j === group.length - 1 ? lastEncoderLayer(call) : call();
            h = r.output;
            if (r.probs) attentions.push(r.probs);
          }
          hiddenStates.push(h);
        }
      }
      const out: ModelOutput = { lastHiddenState: h };
      if (opts.outputAttentions) out.attentions = attentions;
      if (opts.outputHiddenStates) out.hiddenStates = hiddenStates;
      return out;
    });
  }
}

/**
 * The family's config class, `albert.` prefix and freezing layout. Embeddings are the tables, their LayerNorm and
 * `embedding_hidden_mapping_in`. "Layer N" of a layer group is the last encoder layer that applies it, so that
 * freezing the bottom N layers freezes a shared parameter only when every layer using it is among them: with one
 * group for 12 layers (every released ALBERT) the group freezes at N = 12, and bottom-N below that freezes the
 * embeddings only; with one group per layer it is exactly BERT's bottom-N.
 */
export abstract class AlbertPreTrainedModel extends PreTrainedModel<AlbertConfig> {
  static override readonly configClass = AlbertConfig;
  static override readonly familyPrefix: string = 'albert';

  protected override embeddingPattern(): RegExp {
    return /(^|\.)(embeddings|encoder\.embedding_hidden_mapping_in)\./;
  }

  protected override layerIndexPattern(): RegExp {
    return /(^|\.)encoder\.albert_layer_groups\.(\d+)\./;
  }

  override parameterLayout(): ParameterLayout {
    const layout = super.parameterLayout();
    const lastLayer = new Map<number, number>();
    for (let i = 0; i < this.config.numHiddenLayers; i++) lastLayer.set(albertGroupOfLayer(this.config, i), i);
    return {
      ...layout,
      layerIndex: (n) => {
        const group = layout.layerIndex(n);
        return group === undefined ? undefined : lastLayer.get(group);
      },
    };
  }
}

/** HF AlbertModel: `embeddings`, `encoder`, optional `pooler` (tanh(pooler(h[:, 0]))) → lastHiddenState, poolerOutput. */
export class AlbertModel extends AlbertPreTrainedModel {
  static override readonly architecture: string = 'AlbertModel';
  static override readonly task: ModelTask = 'base';
  readonly baseModelPrefix = '';
  readonly embeddings: BertEmbeddings;
  readonly encoder: AlbertTransformer;
  readonly pooler?: Linear;

  constructor(
    readonly config: AlbertConfig,
    opts: ModelInitOptions & { addPoolingLayer?: boolean } = {},
  ) {
    super();
    config.validate();
    const rng = (this.rng = initGenerator(opts));
    this.embeddings = this.registerModule('embeddings', new BertEmbeddings(config, { rng, embeddingDim: config.embeddingSize }));
    this.encoder = this.registerModule('encoder', new AlbertTransformer(config, { rng }));
    if (opts.addPoolingLayer ?? true) {
      this.pooler = this.registerModule('pooler', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, { rng }));
    }
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const mask = inputs.attentionMask ? additiveAttentionMask(inputs.attentionMask) : undefined;
      const out = this.encoder.forward(this.embeddings.forward(inputs.inputIds, inputs.tokenTypeIds), mask, inputs);
      if (this.pooler) {
        const [b, , hidden] = out.lastHiddenState!.shape as [number, number, number];
        out.poolerOutput = tf.tanh(this.pooler.forward(tf.reshape(tf.slice(out.lastHiddenState!, [0, 0, 0], [b, 1, hidden]), [b, hidden])));
      }
      return out;
    });
  }
}
