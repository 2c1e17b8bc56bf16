import { tf } from '@attn/tensor';
import { Linear, Dropout } from '@attn/layers';
import type { BertConfig } from './bert_config';
import { BertModel, type BertModelOptions } from './bert_model';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import type { ModelInputs, ModelOutput } from '../model_io';
import { firstTokenBaseForward } from '../first_token_base';

/**
 * classifier(dropout(pooler_output)) → logits [batch, numLabels]. Loss as HF: MSE for regression
 * (num_labels 1), mean cross-entropy for single-label, BCE-with-logits for multi-label.
 */
export class BertForSequenceClassification extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  /** The backbone a family's subclass builds (RobertaModel, ElectraModel), registered under its familyPrefix. */
  static readonly baseModelClass: new (config: BertConfig, opts: BertModelOptions) => BertModel = BertModel;
  readonly bert: BertModel;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(
    readonly config: BertConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    this.rng = rng;
    const cls = this.constructor as typeof BertForSequenceClassification;
    this.bert = this.registerModule(cls.familyPrefix, new cls.baseModelClass(config, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.classifierDropout ?? config.hiddenDropoutProb }, { rng }));
    this.classifier = this.registerModule(
      'classifier',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, initializerRange: config.initializerRange }, { rng }),
    );
  }

  get baseModelPrefix(): string {
    return this.familyPrefix;
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = firstTokenBaseForward(inputs, () => this.bert.forward(inputs));
      const logits = this.classifier.forward(this.dropout.forward(base.poolerOutput!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}
