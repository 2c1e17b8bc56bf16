import type { ModelFamily } from '../registry';
import { GPT2Config } from './gpt2_config';
import { GPT2Model } from './gpt2_model';
import { GPT2LMHeadModel, GPT2ForSequenceClassification } from './gpt2_heads';

/** GPT-2 (Radford et al. 2019) as HF's modeling_gpt2 names it. */
export const gpt2: ModelFamily = {
  modelType: 'gpt2',
  configClass: GPT2Config,
  models: [GPT2Model, GPT2LMHeadModel, GPT2ForSequenceClassification],
};
