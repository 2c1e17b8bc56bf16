import { tf, matMul, softmaxCrossEntropy, type Generator } from '@attn/tensor';
import { Module, Linear, LayerNorm, activation, constantVariable } from '@attn/layers';
import { BertConfigError, type BertConfig } from './bert_config';
import { BertModel } from './bert_model';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';

/** HF `cls.predictions.transform`: LayerNorm(act(dense(h))). */
class BertPredictionHeadTransform extends Module {
  readonly dense: Linear;
  readonly LayerNorm: LayerNorm;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: BertConfig, rng?: Generator) {
    super();
    this.act = activation(config.hiddenAct);
    this.dense = this.registerModule(
      'dense',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, { rng }),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps }));
  }

  forward(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.LayerNorm.forward(this.act(this.dense.forward(h))));
  }
}

/** HF `cls.predictions`: transform, then the decoder tied to the word embeddings, plus `bias` [vocab]. */
class BertLMPredictionHead extends Module {
  readonly transform: BertPredictionHeadTransform;
  readonly bias: tf.Variable;

  constructor(config: BertConfig, rng?: Generator) {
    super();
    this.transform = this.registerModule('transform', new BertPredictionHeadTransform(config, rng));
    this.bias = this.registerParameter('bias', constantVariable([config.vocabSize], 0));
  }

  /** h [b, s, hidden], wordEmbeddings [vocab, hidden] → logits [b, s, vocab] */
  forward(h: tf.Tensor, wordEmbeddings: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, s, hidden] = h.shape as [number, number, number];
      const t = tf.reshape(this.transform.forward(h), [b * s, hidden]);
      const logits = tf.add(matMul(t, wordEmbeddings, false, true), this.bias);
      return tf.reshape(logits, [b, s, -1]);
    });
  }
}

/** HF `cls` (BertOnlyMLMHead). */
class BertOnlyMLMHead extends Module {
  readonly predictions: BertLMPredictionHead;

  constructor(config: BertConfig, rng?: Generator) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(config, rng));
  }
}

/**
 * Masked-language-model head: logits = LayerNorm(gelu(dense(h))) W_embᵀ + cls.predictions.bias, the decoder
 * being the word-embedding matrix itself (tied: one parameter, gradients from both uses add up).
 * Loss: mean cross-entropy over labels != -100.
 */
export class BertForMaskedLM extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertForMaskedLM';
  static override readonly task: ModelTask = 'masked-lm';
  readonly baseModelPrefix = 'bert';
  readonly bert: BertModel;
  readonly cls: BertOnlyMLMHead;

  constructor(
    readonly config: BertConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    if (config.extra['tie_word_embeddings'] === false) {
      throw new BertConfigError(
        'BertForMaskedLM: config.json sets tie_word_embeddings false; attn always ties the decoder to the word embeddings.',
      );
    }
    const rng = initGenerator(opts);
    this.rng = rng;
    this.bert = this.registerModule('bert', new BertModel(config, { rng, addPoolingLayer: false }));
    this.cls = this.registerModule('cls', new BertOnlyMLMHead(config, rng));
  }

  // Older checkpoints store the tied decoder weight (drop it: it is the word embeddings) and HF lists
  // decoder.bias as an alias of cls.predictions.bias.
  protected override checkpointAliases(): Record<string, string | null> {
    return { 'cls.predictions.decoder.weight': null, 'cls.predictions.decoder.bias': 'cls.predictions.bias' };
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.bert.forward(inputs);
      const logits = this.cls.predictions.forward(base.lastHiddenState!, this.bert.embeddings.word_embeddings.weight);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}
