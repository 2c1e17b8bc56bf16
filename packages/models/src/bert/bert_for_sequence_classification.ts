import { tf, softmaxCrossEntropy } from '@attn/tensor';
import { Linear, Dropout } from '@attn/layers';
import type { BertConfig } from './bert_config';
import { BertModel } from './bert_model';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';

/**
 * classifier(dropout(pooler_output)) → logits [batch, numLabels]. Loss as HF: MSE for regression
 * (num_labels 1), mean cross-entropy for single-label, BCE-with-logits for multi-label.
 */
export class BertForSequenceClassification extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'bert';
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
    this.bert = this.registerModule('bert', new BertModel(config, { rng }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.classifierDropout ?? config.hiddenDropoutProb }, { rng }));
    this.classifier = this.registerModule(
      'classifier',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, initializerRange: config.initializerRange }, { rng }),
    );
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.bert.forward(inputs);
      const logits = this.classifier.forward(this.dropout.forward(base.poolerOutput!));
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = this.loss(logits, inputs.labels);
      return out;
    });
  }

  private loss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
    const numLabels = this.config.numLabels;
    // HF infers the problem type from the label dtype when config.json does not say; tfjs makes float32 by
    // default, so the label shape decides here: [batch] = class ids, [batch, numLabels] = multi-hot targets.
    const problem =
      this.config.problemType ??
      (numLabels === 1 ? 'regression' : labels.rank === 1 ? 'single_label_classification' : 'multi_label_classification');
    if (problem === 'regression') {
      return tf.losses.meanSquaredError(tf.cast(labels, 'float32').reshape([-1]), logits.reshape([-1])) as tf.Scalar;
    }
    if (problem === 'multi_label_classification') {
      return tf.losses.sigmoidCrossEntropy(tf.cast(labels, 'float32'), logits, undefined, 0, tf.Reduction.MEAN) as tf.Scalar;
    }
    return softmaxCrossEntropy(logits, labels, { ignoreIndex: -100 });
  }
}
