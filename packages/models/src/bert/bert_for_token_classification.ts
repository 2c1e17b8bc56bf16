import { tf, softmaxCrossEntropy } from '@attn/tensor';
import { Linear, Dropout } from '@attn/layers';
import type { BertConfig } from './bert_config';
import { BertModel, type BertModelOptions } from './bert_model';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';

/** classifier(dropout(hidden)) → logits [batch, seq, numLabels]; loss: mean cross-entropy over labels != -100 (NER). */
export class BertForTokenClassification extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertForTokenClassification';
  static override readonly task: ModelTask = 'token-classification';
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
    const cls = this.constructor as typeof BertForTokenClassification;
    this.bert = this.registerModule(cls.familyPrefix, new cls.baseModelClass(config, { rng, addPoolingLayer: false }));
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
      const base = this.bert.forward(inputs);
      const logits = this.classifier.forward(this.dropout.forward(base.lastHiddenState!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = softmaxCrossEntropy(logits, inputs.labels, { ignoreIndex: -100 });
      return out;
    });
  }
}
