import type { ModelFamily } from '../registry';
import { RobertaConfig } from './roberta_config';
import { RobertaModel } from './roberta_model';
import { RobertaForSequenceClassification, RobertaForTokenClassification, RobertaForQuestionAnswering, RobertaForMaskedLM } from './roberta_heads';

/** RoBERTa (Liu et al. 2019) as HF's modeling_roberta names it. */
export const roberta: ModelFamily = {
  modelType: 'roberta',
  tokenizerClass: 'RobertaTokenizer',
  configClass: RobertaConfig,
  models: [RobertaModel, RobertaForSequenceClassification, RobertaForTokenClassification, RobertaForQuestionAnswering, RobertaForMaskedLM],
};
