export { Module, ShapeMismatchError, StateDictError } from './module';
export type { LayerConfig, LoadStateDictResult } from './module';
export { GlobPatternError, globToRegExp } from './glob_pattern';
export type { InitOptions, DeferredInit } from './parameter_init';
export { normalVariable, uniformVariable, constantVariable, initVariable, deferParameterInit } from './parameter_init';
export { activation, UnknownActivationError } from './activation';
export type { ActivationName } from './activation';
export { additiveAttentionMask } from './attention_mask';
export { ModuleList } from './module_list';
export { Linear } from './linear';
export type { LinearConfig, LinearOptions } from './linear';
export { Conv1D } from './conv1d';
export type { Conv1DConfig } from './conv1d';
export { Embedding } from './embedding';
export type { EmbeddingConfig } from './embedding';
export { LayerNorm } from './layer_norm';
export type { LayerNormConfig } from './layer_norm';
export { Dropout } from './dropout';
export type { DropoutConfig } from './dropout';
export { ScaledDotProductAttention, setAttentionImplementation } from './scaled_dot_product_attention';
export type { ScaledDotProductAttentionConfig, AttentionCallOptions } from './scaled_dot_product_attention';
export { SelfAttention } from './self_attention';
export type { SelfAttentionConfig } from './self_attention';
export { MultiHeadAttention } from './multi_head_attention';
export type { MultiHeadAttentionConfig, MultiHeadAttentionOptions } from './multi_head_attention';
export { FeedForward, Intermediate } from './feed_forward';
export type { FeedForwardConfig } from './feed_forward';
export { Residual } from './residual';
export type { ResidualConfig } from './residual';
export { TransformerEncoderLayer } from './transformer_encoder_layer';
export type { TransformerEncoderLayerConfig, EncoderCallOptions } from './transformer_encoder_layer';
export { TransformerEncoder } from './transformer_encoder';
export { fusedEncoderLayerForward } from './fused_encoder_layer';
export type { EncoderLayerParts } from './fused_encoder_layer';
export { checkpoint, isGradientCheckpointable } from './gradient_checkpoint';
export type { GradientCheckpointable } from './gradient_checkpoint';
export type { TransformerEncoderConfig, TransformerEncoderOutput } from './transformer_encoder';
export { LoRALinear, applyLoRA } from './lora';
export { QuantizedLinear, quantizeLinears } from './quantized_linear';
export type { QuantizeOptions } from './quantized_linear';
export type { LoRAConfig, ApplyLoRAOptions } from './lora';
export { RMSNorm } from './rms_norm';
export type { RMSNormConfig } from './rms_norm';
export { RotaryEmbedding } from './rotary_embedding';
export type { RotaryEmbeddingConfig } from './rotary_embedding';
export {
  attentionImplementation,
  registerAttentionImplementation,
  SDPA_MIN_QUERY_LENGTH,
  registeredAttentionImplementations,
  causalAttentionMask,
  repeatKeyValueHeads,
  UnknownAttentionImplementationError,
} from './attention_implementation';
export type { AttentionImplementation, AttentionImplementationOptions } from './attention_implementation';
