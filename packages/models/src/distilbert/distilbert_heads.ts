import { tf, matMul, softmaxCrossEntropy } from '@attn/tensor';
import { Module, Linear, LayerNorm, Dropout, activation, constantVariable } from '@attn/layers';
import type { ModelInitOptions, ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { initGenerator } from '../pretrained_model';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import { questionAnsweringLoss } from '../question_answering_loss';
import { DistilBertConfigError, type DistilBertConfig } from './distilbert_config';
import { DistilBertModel, DistilBertPreTrainedModel } from './distilbert_model';
import { firstTokenBaseForward } from '../first_token_base';

/** classifier(dropout(relu(pre_classifier(h[:, 0])))) → logits [batch, numLabels]; dropout = seq_classif_dropout. */
export class DistilBertForSequenceClassification extends DistilBertPreTrainedModel {
  static override readonly architecture: string = 'DistilBertForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'distilbert';
  readonly distilbert: DistilBertModel;
  readonly pre_classifier: Linear;
  readonly classifier: Linear;
  readonly dropout: Dropout;

  constructor(
    readonly config: DistilBertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    const init = { initializerRange: config.initializerRange };
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config, { rng }));
    this.pre_classifier = this.registerModule('pre_classifier', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, ...init }, { rng }));
    this.classifier = this.registerModule('classifier', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, ...init }, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.seqClassifDropout }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = firstTokenBaseForward(inputs, () => this.distilbert.forward(inputs));
      const [b, , dim] = base.lastHiddenState!.shape as [number, number, number];
      const first = tf.reshape(tf.slice(base.lastHiddenState!, [0, 0, 0], [b, 1, dim]), [b, dim]); // [CLS]
      const logits = this.classifier.forward(this.dropout.forward(tf.relu(this.pre_classifier.forward(first))));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}

/** classifier(dropout(h)) → logits [batch, seq, numLabels]; dropout = config.dropout; loss: CE over labels != -100. */
export class DistilBertForTokenClassification extends DistilBertPreTrainedModel {
  static override readonly architecture: string = 'DistilBertForTokenClassification';
  static override readonly task: ModelTask = 'token-classification';
  readonly baseModelPrefix = 'distilbert';
  readonly distilbert: DistilBertModel;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(
    readonly config: DistilBertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.dropout }, { rng }));
    this.classifier = this.registerModule('classifier', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, initializerRange: config.initializerRange }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.distilbert.forward(inputs);
      const logits = this.classifier.forward(this.dropout.forward(base.lastHiddenState!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}

/** qa_outputs(dropout(h)) → startLogits, endLogits [batch, seq]; dropout = qa_dropout; HF's span loss. */
export class DistilBertForQuestionAnswering extends DistilBertPreTrainedModel {
  static override readonly architecture: string = 'DistilBertForQuestionAnswering';
  static override readonly task: ModelTask = 'question-answering';
  readonly baseModelPrefix = 'distilbert';
  readonly distilbert: DistilBertModel;
  readonly qa_outputs: Linear;
  readonly dropout: Dropout;

  constructor(
    readonly config: DistilBertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = (this.rng = initGenerator(opts));
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config, { rng }));
    this.qa_outputs = this.registerModule('qa_outputs', new Linear({ inFeatures: config.hiddenSize, outFeatures: 2, initializerRange: config.initializerRange }, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.qaDropout }, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.distilbert.forward(inputs);
      const logits = this.qa_outputs.forward(this.dropout.forward(base.lastHiddenState!)); // [b, s, 2]
      const [b, s] = logits.shape as [number, number, number];
      const [start, end] = tf.split(logits, 2, -1).map((t) => tf.reshape(t, [b, s])) as [tf.Tensor, tf.Tensor];
      const out: ModelOutput = { startLogits: start, endLogits: end, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.startPositions && inputs.endPositions) out.loss = questionAnsweringLoss(start, end, inputs.startPositions, inputs.endPositions);
      return out;
    });
  }
}

/** `vocab_projector`: the decoder whose weight is the word-embedding matrix (tied, not stored); only its bias is its own. */
class TiedVocabProjector extends Module {
  readonly bias: tf.Variable;

  constructor(vocabSize: number) {
    super();
    this.bias = this.registerParameter('bias', constantVariable([vocabSize], 0));
  }

  /** x [b, s, dim], wordEmbeddings [vocab, dim] → [b, s, vocab] */
  forward(x: tf.Tensor, wordEmbeddings: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, s, dim] = x.shape as [number, number, number];
      return tf.reshape(tf.add(matMul(tf.reshape(x, [b * s, dim]), wordEmbeddings, false, true), this.bias), [b, s, -1]);
    });
  }
}

/**
 * logits = vocab_projector(vocab_layer_norm(act(vocab_transform(h)))), the projector tied to the word embeddings
 * (one parameter: gradients from both uses add up). Loss: mean cross-entropy over labels != -100.
 */
export class DistilBertForMaskedLM extends DistilBertPreTrainedModel {
  static override readonly architecture: string = 'DistilBertForMaskedLM';
  static override readonly task: ModelTask = 'masked-lm';
  readonly baseModelPrefix = 'distilbert';
  readonly distilbert: DistilBertModel;
  readonly vocab_transform: Linear;
  readonly vocab_layer_norm: LayerNorm;
  readonly vocab_projector: TiedVocabProjector;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly config: DistilBertConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    if (config.extra['tie_word_embeddings'] === false) {
      throw new DistilBertConfigError('DistilBertForMaskedLM: config.json sets tie_word_embeddings false; attn always ties vocab_projector to the word embeddings.');
    }
    const rng = (this.rng = initGenerator(opts));
    this.act = activation(config.activation);
    this.distilbert = this.registerModule('distilbert', new DistilBertModel(config, { rng }));
    this.vocab_transform = this.registerModule('vocab_transform', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, { rng }));
    this.vocab_layer_norm = this.registerModule('vocab_layer_norm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: 1e-12 }));
    this.vocab_projector = this.registerModule('vocab_projector', new TiedVocabProjector(config.vocabSize));
  }

  // Checkpoints saved before transformers 5 store the tied weight: it is the word embeddings, so drop it.
  protected override checkpointAliases(): Record<string, string | null> {
    return { 'vocab_projector.weight': null };
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.distilbert.forward(inputs);
      const h = this.vocab_layer_norm.forward(this.act(this.vocab_transform.forward(base.lastHiddenState!)));
      const logits = this.vocab_projector.forward(h, this.distilbert.embeddings.word_embeddings.weight);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}
