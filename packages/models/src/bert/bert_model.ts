import { tf } from '@attn/tensor';
import { TransformerEncoder, additiveAttentionMask } from '@attn/layers';
import type { BertConfig } from './bert_config';
import { BertEmbeddings, type BertEmbeddingsOptions } from './bert_embeddings';
import { BertPooler } from './bert_pooler';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';

export interface BertModelOptions extends BertInitOptions {
  /** Default true; HF's token-classification, QA and masked-LM models build BERT without it. */
  addPoolingLayer?: boolean;
}

/** The BERT encoder (HF BertModel): `embeddings`, `encoder.layer.{i}`, optional `pooler`. */
export class BertModel extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertModel';
  static override readonly task: ModelTask = 'base';
  /** The embeddings a family builds (RoBERTa's position ids, ELECTRA's embedding size). */
  static readonly embeddingsClass: new (config: BertConfig, opts: BertEmbeddingsOptions) => BertEmbeddings = BertEmbeddings;
  readonly baseModelPrefix = '';
  readonly embeddings: BertEmbeddings;
  readonly encoder: TransformerEncoder;
  readonly pooler?: BertPooler;

  constructor(
    readonly config: BertConfig,
    opts: BertModelOptions = {},
  ) {
    super();
    config.validate();
    const rng = initGenerator(opts);
    this.rng = rng;
    const c = config;
    this.embeddings = this.registerModule('embeddings', new (this.constructor as typeof BertModel).embeddingsClass(c, { rng, ...this.embeddingsOptions(c) }));
    this.encoder = this.registerModule(
      'encoder',
      new TransformerEncoder(
        {
          numLayers: c.numHiddenLayers,
          hiddenSize: c.hiddenSize,
          numHeads: c.numAttentionHeads,
          intermediateSize: c.intermediateSize,
          hiddenAct: c.hiddenAct,
          hiddenDropout: c.hiddenDropoutProb,
          attentionDropout: c.attentionProbsDropoutProb,
          layerNormEps: c.layerNormEps,
          initializerRange: c.initializerRange,
        },
        { rng },
      ),
    );
    if (opts.addPoolingLayer ?? true) this.pooler = this.registerModule('pooler', new BertPooler(c, { rng }));
  }

  /** Constructor options of the embeddings: none for BERT (a family's override must not read instance fields). */
  protected embeddingsOptions(_config: BertConfig): BertEmbeddingsOptions {
    return {};
  }

  /** The encoder's input [batch, seq, hidden]: the embeddings (ELECTRA projects them to hidden_size). */
  protected embed(inputs: ModelInputs): tf.Tensor {
    return this.embeddings.forward(inputs.inputIds, inputs.tokenTypeIds);
  }

  /** → lastHiddenState [batch, seq, hidden], poolerOutput [batch, hidden] (with a pooler), attentions / hiddenStates on request. */
  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const embedded = this.embed(inputs);
      const additiveMask = inputs.attentionMask ? additiveAttentionMask(inputs.attentionMask) : undefined;
      const enc = this.encoder.forward(embedded, {
        additiveMask,
        outputAttentions: inputs.outputAttentions,
        outputHiddenStates: inputs.outputHiddenStates,
      });
      const out: ModelOutput = { lastHiddenState: enc.lastHiddenState };
      if (this.pooler) out.poolerOutput = this.pooler.forward(enc.lastHiddenState);
      if (enc.attentions) out.attentions = enc.attentions;
      if (enc.hiddenStates) out.hiddenStates = enc.hiddenStates;
      return out;
    });
  }
}
