import type { ModelFamily } from '../registry';
import { DistilBertConfig } from './distilbert_config';
import { DistilBertModel } from './distilbert_model';
import { DistilBertForSequenceClassification, DistilBertForTokenClassification, DistilBertForQuestionAnswering, DistilBertForMaskedLM } from './distilbert_heads';

/** DistilBERT (Sanh et al. 2019) as HF's modeling_distilbert names it. */
export const distilbert: ModelFamily = {
  modelType: 'distilbert',
  tokenizerClass: 'DistilBertTokenizer',
  configClass: DistilBertConfig,
  models: [DistilBertModel, DistilBertForSequenceClassification, DistilBertForTokenClassification, DistilBertForQuestionAnswering, DistilBertForMaskedLM],
};
