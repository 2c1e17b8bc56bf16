// GPT-2's public surface; the package index re-exports it in one line.
export { GPT2Config, GPT2_CONFIG_FIELDS } from './gpt2_config';
export { GPT2Attention } from './gpt2_attention';
export { GPT2Block, GPT2MLP } from './gpt2_block';
export { GPT2PreTrainedModel, GPT2Transformer, GPT2Model } from './gpt2_model';
export { GPT2LMHeadModel, GPT2ForSequenceClassification } from './gpt2_heads';
export { gpt2 } from './family';
