import { tf } from '@attn/tensor';
import { BertPreTrainedModel, initGenerator, type BertInitOptions } from '../bert/bert_pretrained_model';
import { BertForTokenClassification } from '../bert/bert_for_token_classification';
import { BertForQuestionAnswering } from '../bert/bert_for_question_answering';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs, ModelOutput } from '../model_io';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import { RobertaClassificationHead } from '../roberta/roberta_classification_head';
import { ElectraConfig } from './electra_config';
import { ElectraModel } from './electra_model';
import { firstTokenBaseForward } from '../first_token_base';

/** classifier = dense + gelu + out_proj on the first token (ELECTRA's head is RoBERTa's with gelu for tanh). */
export class ElectraForSequenceClassification extends BertPreTrainedModel {
  static override readonly architecture: string = 'ElectraForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  static override readonly configClass = ElectraConfig;
  static override readonly familyPrefix: string = 'electra';
  readonly baseModelPrefix = 'electra';
  readonly electra: ElectraModel;
  readonly classifier: RobertaClassificationHead;

  constructor(
    readonly config: ElectraConfig,
    opts: BertInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    this.rng = rng;
    this.electra = this.registerModule('electra', new ElectraModel(config, { rng }));
    this.classifier = this.registerModule('classifier', new RobertaClassificationHead(config, { rng, activation: 'gelu' }));
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const base = firstTokenBaseForward(inputs, () => this.electra.forward(inputs));
      const logits = this.classifier.forward(base.lastHiddenState!);
      const out: ModelOutput = { logits, attentions: base.attentions, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}

/** BERT's token-classification head over the ELECTRA discriminator. */
export class ElectraForTokenClassification extends BertForTokenClassification {
  static override readonly architecture: string = 'ElectraForTokenClassification';
  static override readonly configClass = ElectraConfig;
  static override readonly familyPrefix: string = 'electra';
  static override readonly baseModelClass = ElectraModel as unknown as typeof BertForTokenClassification.baseModelClass;

  get electra(): ElectraModel {
    return this.bert as ElectraModel;
  }
}

/** BERT's span head (`qa_outputs`) over the ELECTRA discriminator. */
export class ElectraForQuestionAnswering extends BertForQuestionAnswering {
  static override readonly architecture: string = 'ElectraForQuestionAnswering';
  static override readonly configClass = ElectraConfig;
  static override readonly familyPrefix: string = 'electra';
  static override readonly baseModelClass = ElectraModel as unknown as typeof BertForQuestionAnswering.baseModelClass;

  get electra(): ElectraModel {
    return this.bert as ElectraModel;
  }
}
