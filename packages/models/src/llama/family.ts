import type { ModelFamily } from '../registry';
import { LlamaConfig } from './llama_config';
import { LlamaModel } from './llama_model';
import { LlamaForCausalLM, LlamaForSequenceClassification } from './llama_heads';

/** Llama (Touvron et al. 2023) as HF's modeling_llama names it; SmolLM- and TinyLlama-shaped checkpoints are Llamas. */
export const llama: ModelFamily = {
  modelType: 'llama',
  configClass: LlamaConfig,
  models: [LlamaModel, LlamaForCausalLM, LlamaForSequenceClassification],
};
