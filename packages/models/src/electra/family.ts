import type { ModelFamily } from '../registry';
import { ElectraConfig } from './electra_config';
import { ElectraModel } from './electra_model';
import { ElectraForSequenceClassification, ElectraForTokenClassification, ElectraForQuestionAnswering } from './electra_heads';

/** ELECTRA's discriminator (Clark et al. 2020) as HF's modeling_electra names it. */
export const electra: ModelFamily = {
  modelType: 'electra',
  tokenizerClass: 'ElectraTokenizer',
  configClass: ElectraConfig,
  models: [ElectraModel, ElectraForSequenceClassification, ElectraForTokenClassification, ElectraForQuestionAnswering],
};
