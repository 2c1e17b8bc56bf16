import { tf, matMul, softmaxCrossEntropy, type Generator } from '@attn/tensor';
import { Module, Linear, LayerNorm, activation, constantVariable } from '@attn/layers';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from '../bert/bert_pretrained_model';
import { BertForTokenClassification } from '../bert/bert_for_token_classification';
import { BertForQuestionAnswering } from '../bert/bert_for_question_answering';
import { BertConfigError } from '../bert/bert_config';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import { RobertaConfig } from './roberta_config';
import { RobertaModel } from './roberta_model';
import { RobertaClassificationHead } from './roberta_classification_head';
import { firstTokenBaseForward } from '../first_token_base';

/** RoBERTa's config class and `roberta.` prefix for the heads that are not BERT's. */
abstract class RobertaPreTrainedModel extends BertPreTrainedModel {
  static override readonly configClass = RobertaConfig;
  static override readonly familyPrefix: string = 'roberta';
}

/** classifier = dense + tanh + out_proj on the <s> token (no pooler); loss as BERT's. */
export class RobertaForSequenceClassification extends RobertaPreTrainedModel {
  static override readonly architecture: string = 'RobertaForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'roberta';
  readonly roberta: RobertaModel;
  readonly classifier: RobertaClassificationHead;

  constructor(
    readonly config: RobertaConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    this.rng = rng;
    this.roberta = this.registerModule('roberta', new RobertaModel(config, { rng, addPoolingLayer: false }));
    this.classifier = this.registerModule('classifier', new RobertaClassificationHead(config, { rng }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = firstTokenBaseForward(inputs, () => this.roberta.forward(inputs));
      const logits = this.classifier.forward(base.lastHiddenState!);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}

/** BERT's token-classification head over RoBERTa. */
export class RobertaForTokenClassification extends BertForTokenClassification {
  static override readonly architecture: string = 'RobertaForTokenClassification';
  static override readonly configClass = RobertaConfig;
  static override readonly familyPrefix: string = 'roberta';
  static override readonly baseModelClass = RobertaModel;

  get roberta(): RobertaModel {
    return this.bert as RobertaModel;
  }
}

/** BERT's span head (`qa_outputs`) over RoBERTa. */
export class RobertaForQuestionAnswering extends BertForQuestionAnswering {
  static override readonly architecture: string = 'RobertaForQuestionAnswering';
  static override readonly configClass = RobertaConfig;
  static override readonly familyPrefix: string = 'roberta';
  static override readonly baseModelClass = RobertaModel;

  get roberta(): RobertaModel {
    return this.bert as RobertaModel;
  }
}

/** HF RobertaLMHead (`lm_head`): layer_norm(gelu(dense(h))) W_embᵀ + bias, the decoder tied to the word embeddings. */
class RobertaLMHead extends Module {
  readonly dense: Linear;
  readonly layer_norm: LayerNorm;
  readonly bias: tf.Variable;
  private readonly act = activation('gelu');

  constructor(config: RobertaConfig, rng?: Generator) {
    super();
    this.dense = this.registerModule('dense', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, { rng }));
    this.layer_norm = this.registerModule('layer_norm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps }));
    this.bias = this.registerParameter('bias', constantVariable([config.vocabSize], 0));
  }

  /** h [b, s, hidden], wordEmbeddings [vocab, hidden] → logits [b, s, vocab] */
  forward(h: tf.Tensor, wordEmbeddings: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, s, hidden] = h.shape as [number, number, number];
      const t = tf.reshape(this.layer_norm.forward(this.act(this.dense.forward(h))), [b * s, hidden]);
      return tf.reshape(tf.add(matMul(t, wordEmbeddings, false, true), this.bias), [b, s, -1]);
    });
  }
}

/** Masked-LM head `lm_head` over RoBERTa; loss: mean cross-entropy over labels != -100. */
export class RobertaForMaskedLM extends RobertaPreTrainedModel {
  static override readonly architecture: string = 'RobertaForMaskedLM';
  static override readonly task: ModelTask = 'masked-lm';
  readonly baseModelPrefix = 'roberta';
  readonly roberta: RobertaModel;
  readonly lm_head: RobertaLMHead;

  constructor(
    readonly config: RobertaConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    if (config.extra['tie_word_embeddings'] === false) {
      throw new BertConfigError('RobertaForMaskedLM: config.json sets tie_word_embeddings false; attn always ties the decoder to the word embeddings.');
    }
    const rng = initGenerator(opts);
    this.rng = rng;
    this.roberta = this.registerModule('roberta', new RobertaModel(config, { rng, addPoolingLayer: false }));
    this.lm_head = this.registerModule('lm_head', new RobertaLMHead(config, rng));
  }

  protected override checkpointAliases(): Record<string, string | null> {
    return { 'lm_head.decoder.weight': null, 'lm_head.decoder.bias': 'lm_head.bias' };
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.roberta.forward(inputs);
      const logits = this.lm_head.forward(base.lastHiddenState!, this.roberta.embeddings.word_embeddings.weight);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}
