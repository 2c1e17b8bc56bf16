import type { ModelFamily } from '../registry';
import { AlbertConfig } from './albert_config';
import { AlbertModel } from './albert_model';
import { AlbertForSequenceClassification, AlbertForTokenClassification, AlbertForQuestionAnswering, AlbertForMaskedLM } from './albert_heads';

/** ALBERT (Lan et al. 2020) as HF's modeling_albert names it. */
export const albert: ModelFamily = {
  modelType: 'albert',
  tokenizerClass: 'AlbertTokenizer',
  configClass: AlbertConfig,
  models: [AlbertModel, AlbertForSequenceClassification, AlbertForTokenClassification, AlbertForQuestionAnswering, AlbertForMaskedLM],
  // The released checkpoints carry the pretraining heads (MLM + sentence order); the MLM head is the one attn keeps.
  aliases: { AlbertForPreTraining: 'masked-lm' },
};
