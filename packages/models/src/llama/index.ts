// Llama's public surface; the package index re-exports it in one line.
export { LlamaConfig, LLAMA_CONFIG_FIELDS } from './llama_config';
export { LlamaAttention } from './llama_attention';
export { LlamaDecoderLayer, LlamaMLP } from './llama_decoder_layer';
export { LlamaPreTrainedModel, LlamaDecoder, LlamaModel } from './llama_model';
export { LlamaForCausalLM, LlamaForSequenceClassification } from './llama_heads';
export { llama } from './family';
