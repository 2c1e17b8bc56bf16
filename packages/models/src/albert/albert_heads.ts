import { tf, matMul, softmaxCrossEntropy, type Generator } from '@attn/tensor';
import { Module, Linear, LayerNorm, Dropout, activation, constantVariable } from '@attn/layers';
import { initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { BertConfigError } from '../bert/bert_config';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import { questionAnsweringLoss } from '../question_answering_loss';
import type { AlbertConfig } from './albert_config';
import { AlbertModel, AlbertPreTrainedModel } from './albert_model';
import { firstTokenBaseForward } from '../first_token_base';

/** classifier(dropout(pooler_output)) → logits [batch, numLabels]; dropout = classifier_dropout_prob. */
export class AlbertForSequenceClassification extends AlbertPreTrainedModel {
  static override readonly architecture: string = 'AlbertForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'albert';
  readonly albert: AlbertModel;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(
    readonly config: AlbertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    this.albert = this.registerModule('albert', new AlbertModel(config, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.classifierDropout ?? config.hiddenDropoutProb }, { rng }));
    this.classifier = this.registerModule('classifier', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, initializerRange: config.initializerRange }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = firstTokenBaseForward(inputs, () => this.albert.forward(inputs));
      const logits = this.classifier.forward(this.dropout.forward(base.poolerOutput!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}

/** classifier(dropout(h)) → logits [batch, seq, numLabels]; loss: mean cross-entropy over labels != -100. */
export class AlbertForTokenClassification extends AlbertPreTrainedModel {
  static override readonly architecture: string = 'AlbertForTokenClassification';
  static override readonly task: ModelTask = 'token-classification';
  readonly baseModelPrefix = 'albert';
  readonly albert: AlbertModel;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(
    readonly config: AlbertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    this.albert = this.registerModule('albert', new AlbertModel(config, { rng, addPoolingLayer: false }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.classifierDropout ?? config.hiddenDropoutProb }, { rng }));
    this.classifier = this.registerModule('classifier', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, initializerRange: config.initializerRange }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.albert.forward(inputs);
      const logits = this.classifier.forward(this.dropout.forward(base.lastHiddenState!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}

/** qa_outputs(h) → startLogits, endLogits [batch, seq] (no dropout, as HF); HF's span loss. */
export class AlbertForQuestionAnswering extends AlbertPreTrainedModel {
  static override readonly architecture: string = 'AlbertForQuestionAnswering';
  static override readonly task: ModelTask = 'question-answering';
  readonly baseModelPrefix = 'albert';
  readonly albert: AlbertModel;
  readonly qa_outputs: Linear;

  constructor(
    readonly config: AlbertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    this.albert = this.registerModule('albert', new AlbertModel(config, { rng, addPoolingLayer: false }));
    this.qa_outputs = this.registerModule('qa_outputs', new Linear({ inFeatures: config.hiddenSize, outFeatures: 2, initializerRange: config.initializerRange }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.albert.forward(inputs);
      const logits = this.qa_outputs.forward(base.lastHiddenState!); // [b, s, 2]
      const [b, s] = logits.shape as [number, number, number];
      const [start, end] = tf.split(logits, 2, -1).map((t) => tf.reshape(t, [b, s])) as [tf.Tensor, tf.Tensor];
      const out: ModelOutput = { startLogits: start, endLogits: end, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.startPositions && inputs.endPositions) out.loss = questionAnsweringLoss(start, end, inputs.startPositions, inputs.endPositions);
      return out;
    });
  }
}

/** HF AlbertMLMHead (`predictions`): LayerNorm(act(dense(h))) at embedding_size, then the decoder tied to the word embeddings, plus `bias`. */
class AlbertMLMHead extends Module {
  readonly LayerNorm: LayerNorm;
  readonly bias: tf.Variable;
  readonly dense: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: AlbertConfig, rng?: Generator) {
    super();
    this.act = activation(config.hiddenAct);
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: config.embeddingSize, eps: config.layerNormEps }));
    this.bias = this.registerParameter('bias', constantVariable([config.vocabSize], 0));
    this.dense = this.registerModule('dense', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.embeddingSize, initializerRange: config.initializerRange }, { rng }));
  }

  /** h [b, s, hidden], wordEmbeddings [vocab, embedding_size] → logits [b, s, vocab] */
  forward(h: tf.Tensor, wordEmbeddings: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, s] = h.shape as [number, number, number];
      const t = tf.reshape(this.LayerNorm.forward(this.act(this.dense.forward(h))), [b * s, -1]);
      return tf.reshape(tf.add(matMul(t, wordEmbeddings, false, true), this.bias), [b, s, -1]);
    });
  }
}

/** Masked-LM head `predictions` over ALBERT, the decoder being the word-embedding matrix; loss: mean CE over labels != -100. */
export class AlbertForMaskedLM extends AlbertPreTrainedModel {
  static override readonly architecture: string = 'AlbertForMaskedLM';
  static override readonly task: ModelTask = 'masked-lm';
  readonly baseModelPrefix = 'albert';
  readonly albert: AlbertModel;
  readonly predictions: AlbertMLMHead;

  constructor(
    readonly config: AlbertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    if (config.extra['tie_word_embeddings'] === false) {
      throw new BertConfigError('AlbertForMaskedLM: config.json sets tie_word_embeddings false; attn always ties the decoder to the word embeddings.');
    }
    const rng = (this.rng = initGenerator(opts));
    this.albert = this.registerModule('albert', new AlbertModel(config, { rng, addPoolingLayer: false }));
    this.predictions = this.registerModule('predictions', new AlbertMLMHead(config, rng));
  }

  // Checkpoints saved before transformers 5 store the tied decoder (the word embeddings: dropped) and its bias (= predictions.bias).
  protected override checkpointAliases(): Record<string, string | null> {
    return { 'predictions.decoder.weight': null, 'predictions.decoder.bias': 'predictions.bias' };
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.albert.forward(inputs);
      const logits = this.predictions.forward(base.lastHiddenState!, this.albert.embeddings.word_embeddings.weight);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}
