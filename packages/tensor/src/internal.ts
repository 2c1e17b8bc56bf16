// @attn/tensor/internal: the plumbing @attn/tensor-native builds on: the one adapter to tfjs-backend-wasm's
// private members (and to tfjs-core's gradient tape, which @attn/layers' gradient checkpointing sets aside), and
// the mark that tells attn's kernel registry a kernel is native. Not a public API: it may change in any release,
// together with @attn/tensor-native and @attn/layers.
export {
  WASM_INTERNALS_TFJS_VERSION,
  WASM_MEMBERS,
  wasmInternalsProblems,
  isWasmBackendObject,
  wasmOutput,
  wasmViewAt,
  releaseWasmView,
  wasmHeapOffset,
  wasmHeap,
  wasmHeapArray,
  wasmHeapBytes,
  wasmMatMul2d,
  recordingGradients,
  withTapeSetAside,
  recordOnFreshTape,
  discardTape,
} from './kernels/wasm_internals';
export type { WasmMember, WasmVersions, TapeNodeView } from './kernels/wasm_internals';
export { NATIVE_KERNEL_MARK } from './kernels/native_kernel_mark';
export type { NativeKernelsModule } from './kernels/register_wasm';
// The tiled attention kernels' names and attributes, for the backend that registers them.
export { FLASH_ATTENTION_KERNEL, FLASH_ATTENTION_GRAD_KERNEL } from './ops/flash_attention_kernel';
export type { FlashAttentionKernelAttrs } from './ops/flash_attention_kernel';
