import type { ModelFamily } from '../registry';
import { BertConfig, BERT_PRESETS } from './bert_config';
import { BertModel } from './bert_model';
import { BertForSequenceClassification } from './bert_for_sequence_classification';
import { BertForTokenClassification } from './bert_for_token_classification';
import { BertForQuestionAnswering } from './bert_for_question_answering';
import { BertForMaskedLM } from './bert_for_masked_lm';

/** BERT (Devlin et al. 2019) as HF's modeling_bert names it. */
export const bert: ModelFamily = {
  modelType: 'bert',
  tokenizerClass: 'BertTokenizer',
  configClass: BertConfig,
  models: [BertModel, BertForSequenceClassification, BertForTokenClassification, BertForQuestionAnswering, BertForMaskedLM],
  // Google's original checkpoints carry the pretraining heads; the MLM head is the one attn keeps.
  aliases: { BertForPreTraining: 'masked-lm' },
  presets: BERT_PRESETS,
};
