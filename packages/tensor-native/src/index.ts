export { loadNativeAddon, nativeAddonStatus, nativeAddonCandidates } from './native_addon';
export type { NativeAddon, NativeAddonStatus } from './native_addon';
export {
  registerNativeKernels,
  registerNativeKernelsDetailed,
  unregisterNativeKernels,
  activeNativeKernels,
  NATIVE_KERNELS,
} from './register_native_kernels';
export type { NativeKernelDef, RegisterResult } from './register_native_kernels';
export { planBatches, MatMulShapeError } from './kernels/batch_mat_mul';
export type { BatchPlan } from './kernels/batch_mat_mul';
export { WasmHeapError } from './wasm_heap';
export { GELU_KERNEL, GELU_GRAD_KERNEL } from './kernels/fused_gelu';
export { LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL } from './kernels/fused_layer_norm';
export { ADAMW_KERNEL } from './kernels/fused_adamw';
export { FLASH_ATTENTION_KERNEL, FLASH_ATTENTION_GRAD_KERNEL, FlashAttentionShapeError } from './kernels/flash_attention';
