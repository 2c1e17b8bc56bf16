// @attn/tensor/internal: the plumbing @attn/tensor-native builds on: the one adapter to tfjs-backend-wasm's
// private members, and the mark that tells attn's kernel registry a kernel is native. Not a public API: it may
// change in any release, together with @attn/tensor-native.
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
} from './kernels/wasm_internals';
export type { WasmMember, WasmVersions } from './kernels/wasm_internals';
export { NATIVE_KERNEL_MARK } from './kernels/native_kernel_mark';
export type { NativeKernelsModule } from './kernels/register_wasm';
