export { tf } from './tf';
export type { Tensor, Variable } from './tf';
export { initBackend, currentBackend, nativeKernelsActive, backendPreference, BackendError } from './backend';
export type { BackendName, InitBackendOptions } from './backend';
export { gelu } from './ops/gelu';
export { variableGrads, gradients } from './ops/variable_grads';
export { layerNorm } from './ops/layer_norm';
export { adamwUpdate, adamwKernelApplies, AdamWSlotError, ADAMW_FLOATS_PER_CALL } from './ops/adamw_update';
export type { AdamWSlot, AdamWUpdateOptions } from './ops/adamw_update';
export { fusedKernelsEnabled, setFusedKernelsEnabled, hasFusedKernels } from './ops/fused_dispatch';
export {
  GELU_KERNEL,
  GELU_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  ADAMW_KERNEL,
  INT8_LINEAR_KERNEL,
} from './ops/fused_kernel_names';
export type { AdamWKernelAttrs } from './ops/fused_kernel_names';
export { matMul } from './ops/mat_mul';
export { linear } from './ops/linear';
export { int8Linear, quantizePerChannel, QuantizedWeight, QuantizationError } from './ops/int8_linear';
export {
  ENCODER_LAYER_KERNEL,
  ENCODER_LAYER_ACTIVATIONS,
  encoderLayerApplies,
  encoderLayerInference,
  skipPaddedRows,
  lastEncoderLayer,
  readFirstRowsOnly,
  paddedRowsSkipped,
  fusedInferenceEnabled,
  setFusedInferenceEnabled,
} from './ops/encoder_layer';
export type {
  EncoderLayerKernelAttrs,
  EncoderLayerOptions,
  EncoderLayerWeights,
  EncoderLinearWeights,
  EncoderNormWeights,
} from './ops/encoder_layer';
export { EMBEDDINGS_KERNEL, embeddingsApplies, embeddingsInference } from './ops/embeddings';
export type { EmbeddingsInferenceInputs } from './ops/embeddings';
export { maskedSoftmax } from './ops/masked_softmax';
export { scaledDotProductAttention } from './ops/scaled_dot_product_attention';
export type { AttentionResult, AttentionOptions } from './ops/scaled_dot_product_attention';
export { memoryEfficientAttention } from './ops/memory_efficient_attention';
export { flashAttentionKernelApplies } from './ops/flash_attention_kernel';
export type { MemoryEfficientAttentionOptions } from './ops/memory_efficient_attention';
export { softmaxCrossEntropy } from './ops/softmax_cross_entropy';
export type { CrossEntropyOptions } from './ops/softmax_cross_entropy';
export { Generator, RandomStateError } from './random/generator';
export { globalGenerator, setGlobalSeed } from './random/global_generator';
export { randomNormal, truncatedNormal, randomUniform } from './random/random_normal';
export type { RandomNormalOptions } from './random/random_normal';
export { dropout, dropoutMask, DROPOUT_MASK_KERNEL } from './random/dropout';
export type { DropoutMaskKernelAttrs } from './random/dropout';
export { prefetchValues } from './prefetch_values';
export { SafetensorsError } from './safetensors/safetensors_error';
export { SAFETENSORS_DTYPES, halfToFloat } from './safetensors/dtype';
export type { SafetensorsDtype } from './safetensors/dtype';
export {
  parseSafetensors,
  parseSafetensorsHeader,
  parseSafetensorsMetadata,
  decodeEntry,
  MAX_HEADER_BYTES,
} from './safetensors/parse';
export type { SafetensorsEntry, SafetensorsHeader } from './safetensors/parse';
export { serializeSafetensors } from './safetensors/serialize';
export type { SerializeOptions, WritableDtype } from './safetensors/serialize';
export { loadSafetensors, saveSafetensors, loadCheckpointWeights } from './safetensors/file_io';
export { writeFileDurable, writeFileDurableSync, syncDirectory, syncDirectorySync, tempPathBeside } from './durable_write';
export { setAttnWasmKernels, isNativeWasmKernel } from './kernels/register_wasm';
export { GatherIndexError } from './kernels/gather_rows';
