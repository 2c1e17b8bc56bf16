import { tf } from '@attn/tensor';
import { Linear } from '@attn/layers';
import type { BertConfig } from './bert_config';
import { BertModel, type BertModelOptions } from './bert_model';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from './bert_pretrained_model';
import type { ModelTask } from '../pretrained_model';
import { questionAnsweringLoss } from '../question_answering_loss';
import type { ModelInputs, ModelOutput } from '../model_io';

/**
 * qa_outputs(hidden) → startLogits, endLogits [batch, seq] (column 0 = start, 1 = end). Loss as HF:
 * (CE_start + CE_end) / 2 with the softmax over all positions, padding included; positions are clamped
 * to [0, seq] and seq is ignored.
 */
export class BertForQuestionAnswering extends BertPreTrainedModel {
  static override readonly architecture: string = 'BertForQuestionAnswering';
  static override readonly task: ModelTask = 'question-answering';
  /** The backbone a family's subclass builds (RobertaModel, ElectraModel), registered under its familyPrefix. */
  static readonly baseModelClass: new (config: BertConfig, opts: BertModelOptions) => BertModel = BertModel;
  readonly bert: BertModel;
  readonly qa_outputs: Linear;

  constructor(
    readonly config: BertConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    this.rng = rng;
    const cls = this.constructor as typeof BertForQuestionAnswering;
    this.bert = this.registerModule(cls.familyPrefix, new cls.baseModelClass(config, { rng, addPoolingLayer: false }));
    this.qa_outputs = this.registerModule(
      'qa_outputs',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: 2, initializerRange: config.initializerRange }, { rng }),
    );
  }

  get baseModelPrefix(): string {
    return this.familyPrefix;
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.bert.forward(inputs);
      const logits = this.qa_outputs.forward(base.lastHiddenState!); // [b, s, 2]
      const [b, s] = logits.shape as [number, number, number];
      const [start, end] = tf.split(logits, 2, -1).map((t) => tf.reshape(t, [b, s])) as [tf.Tensor, tf.Tensor];
      const out: ModelOutput = { startLogits: start, endLogits: end, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.startPositions && inputs.endPositions) out.loss = questionAnsweringLoss(start, end, inputs.startPositions, inputs.endPositions);
      return out;
    });
  }
}
