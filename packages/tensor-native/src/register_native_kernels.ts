// Puts the native kernels in tfjs's kernel registry for the wasm backend, keeping each
// stock kernel to fall back to (small or unsupported cases) and to restore on unregister.
import type { tf } from '@attn/tensor';
import { NATIVE_KERNEL_MARK, wasmInternalsProblems } from '@attn/tensor/internal';
import { nativeAddonStatus, type NativeAddon } from './native_addon';
import { nativeBatchMatMul } from './kernels/batch_mat_mul';
import { nativeBinary } from './kernels/binary';
import { nativeFusedMatMul } from './kernels/fused_mat_mul';
import { ADAMW_KERNEL, nativeAdamW } from './kernels/fused_adamw';
import { GELU_GRAD_KERNEL, GELU_KERNEL, nativeGelu, nativeGeluGrad } from './kernels/fused_gelu';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, nativeLayerNorm, nativeLayerNormGrad } from './kernels/fused_layer_norm';
import { nativeSoftmax } from './kernels/softmax';
import { nativeSegmentSum } from './kernels/segment_sum';
import { nativeSum } from './kernels/sum';
import { nativeTranspose } from './kernels/transpose';
import { nativeUnary } from './kernels/unary';
import { DROPOUT_MASK_KERNEL, nativeDropoutMask } from './kernels/dropout_mask';
import { INT8_LINEAR_KERNEL, nativeInt8Linear } from './kernels/int8_linear';
import { FLASH_ATTENTION_GRAD_KERNEL, FLASH_ATTENTION_KERNEL, nativeFlashAttention, nativeFlashAttentionGrad } from './kernels/flash_attention';
import { ENCODER_LAYER_KERNEL, nativeEncoderLayer } from './kernels/encoder_layer';
import { EMBEDDINGS_KERNEL, nativeEmbeddings } from './kernels/embeddings';

type Tf = typeof tf;

/**
 * A native kernel: which tfjs kernel it replaces and how to build it from the stock one,
 * or (fused: true) a new kernel name that has no stock counterpart.
 */
export interface NativeKernelDef {
  kernelName: string;
  fused?: boolean;
  /**
   * The addon entry a kernel needs: an addon built before it existed (an older prebuild beside newer JS) leaves the
   * kernel unregistered, so that callers keep their unfused path (or the stock kernel) instead of failing at the call.
   */
  requires?: string;
  make(addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc;
}

/** Every kernel this package provides; a new one is a file in kernels/ plus one line here. */
export const NATIVE_KERNELS: NativeKernelDef[] = [
  { kernelName: 'BatchMatMul', make: nativeBatchMatMul },
  { kernelName: '_FusedMatMul', make: nativeFusedMatMul },
  { kernelName: 'Sum', make: nativeSum },
  { kernelName: 'Add', make: nativeBinary('Add') },
  { kernelName: 'Sub', make: nativeBinary('Sub') },
  { kernelName: 'Multiply', make: nativeBinary('Multiply') },
  { kernelName: 'RealDiv', make: nativeBinary('RealDiv') },
  { kernelName: 'Softmax', make: nativeSoftmax },
  { kernelName: 'Exp', make: nativeUnary('Exp') },
  { kernelName: 'Erf', make: nativeUnary('Erf') },
  { kernelName: 'Tanh', requires: 'tanh', make: nativeUnary('Tanh') },
  { kernelName: 'UnsortedSegmentSum', make: nativeSegmentSum },
  { kernelName: 'Transpose', make: nativeTranspose },
  { kernelName: GELU_KERNEL, fused: true, make: nativeGelu },
  { kernelName: GELU_GRAD_KERNEL, fused: true, make: nativeGeluGrad },
  { kernelName: LAYER_NORM_KERNEL, fused: true, make: nativeLayerNorm },
  { kernelName: LAYER_NORM_GRAD_KERNEL, fused: true, make: nativeLayerNormGrad },
  { kernelName: ADAMW_KERNEL, fused: true, make: nativeAdamW },
  { kernelName: DROPOUT_MASK_KERNEL, fused: true, make: nativeDropoutMask },
  { kernelName: INT8_LINEAR_KERNEL, fused: true, make: nativeInt8Linear },
  { kernelName: FLASH_ATTENTION_KERNEL, fused: true, make: nativeFlashAttention },
  { kernelName: FLASH_ATTENTION_GRAD_KERNEL, fused: true, make: nativeFlashAttentionGrad },
  { kernelName: ENCODER_LAYER_KERNEL, fused: true, requires: 'encoderLayer', make: nativeEncoderLayer },
  { kernelName: EMBEDDINGS_KERNEL, fused: true, requires: 'embeddings', make: nativeEmbeddings },
];

// Marks our configs so a second copy of this module (ESM + CJS) still recognises them, and so
// @attn/tensor's setAttnWasmKernels leaves them in place.
const NATIVE_MARK: typeof NATIVE_KERNEL_MARK = NATIVE_KERNEL_MARK;
// The mark holds the stock config to restore, or null for a fused kernel with none.
type MarkedConfig = tf.KernelConfig & { [NATIVE_MARK]?: tf.KernelConfig | null };
const isNative = (c: MarkedConfig | undefined): boolean => !!c && c[NATIVE_MARK] !== undefined;

export interface RegisterResult {
  registered: boolean;
  /** Kernel names now served natively. */
  kernels: string[];
  /** Why nothing was registered, when nothing was. */
  reason?: string;
}

let noticeShown = false;

function notice(reason: string): void {
  if (noticeShown || process.env.ATTN_NATIVE === '0') return;
  noticeShown = true;
  console.warn(`attn: native kernels off, using stock wasm kernels (${reason})`);
}

/**
 * Registers the native kernels for the wasm backend; idempotent. Call it after the wasm
 * backend's kernels are registered (after `initBackend({ backend: 'wasm' })`).
 * Returns false (with a one-line notice) when the addon is missing, broken or disabled.
 */
export function registerNativeKernels(tfjs: Tf, backend: 'wasm' = 'wasm'): boolean {
  return registerNativeKernelsDetailed(tfjs, backend).registered;
}

/** registerNativeKernels with the list of kernels served and the reason when none is. */
export function registerNativeKernelsDetailed(tfjs: Tf, backend: 'wasm' = 'wasm'): RegisterResult {
  if (backend !== 'wasm') return { registered: false, kernels: [], reason: `native kernels exist only for wasm, not ${String(backend)}` };
  const status = nativeAddonStatus();
  if (!status.addon) {
    notice(status.reason ?? 'addon unavailable');
    return { registered: false, kernels: [], reason: status.reason };
  }
  if (!tfjs.getKernel('BatchMatMul', 'wasm')) {
    const reason = 'no wasm kernels are registered yet; call registerNativeKernels after initBackend({ backend: "wasm" })';
    return { registered: false, kernels: [], reason };
  }
  // Every kernel here works on tfjs-backend-wasm's private members: only where @attn/tensor's adapter vouches for them.
  const active = tfjs.getBackend() === 'wasm' ? tfjs.backend() : undefined;
  // Not yet the active backend: only the version can be checked; initBackend checks the rest before it calls this.
  const problems = wasmInternalsProblems(active, { core: tfjs.version_core });
  if (problems.length) {
    const reason = `tfjs-backend-wasm differs from what these kernels were written for: ${problems.join('; ')}`;
    notice(reason);
    return { registered: false, kernels: [], reason };
  }
  const kernels: string[] = [];
  for (const def of NATIVE_KERNELS) {
    const current = tfjs.getKernel(def.kernelName, 'wasm') as MarkedConfig | undefined;
    if (isNative(current)) {
      kernels.push(def.kernelName);
      continue;
    }
    if (!def.fused && !current) continue;
    if (def.requires && typeof (status.addon as unknown as Record<string, unknown>)[def.requires] !== 'function') continue;
    const noStock: tf.KernelFunc = () => {
      throw new Error(`${def.kernelName} has no stock wasm kernel to fall back to.`);
    };
    const config: MarkedConfig = {
      kernelName: def.kernelName,
      backendName: 'wasm',
      // The stock setup still has to run when a wasm backend starts: our fallback calls it.
      setupFunc: current?.setupFunc,
      disposeFunc: current?.disposeFunc,
      kernelFunc: def.make(status.addon, current?.kernelFunc ?? noStock),
      [NATIVE_MARK]: current ?? null,
    };
    if (current) tfjs.unregisterKernel(def.kernelName, 'wasm');
    tfjs.registerKernel(config);
    kernels.push(def.kernelName);
  }
  return { registered: true, kernels };
}

/** Puts the stock wasm kernels back (and removes the fused ones); returns the kernel names affected. */
export function unregisterNativeKernels(tfjs: Tf): string[] {
  const restored: string[] = [];
  for (const def of NATIVE_KERNELS) {
    const current = tfjs.getKernel(def.kernelName, 'wasm') as MarkedConfig | undefined;
    if (!current || !isNative(current)) continue;
    tfjs.unregisterKernel(def.kernelName, 'wasm');
    const stock = current[NATIVE_MARK];
    if (stock) tfjs.registerKernel(stock);
    restored.push(def.kernelName);
  }
  return restored;
}

/** Kernel names currently served by this package on the wasm backend. */
export function activeNativeKernels(tfjs: Tf): string[] {
  return NATIVE_KERNELS.filter((d) => isNative(tfjs.getKernel(d.kernelName, 'wasm') as MarkedConfig | undefined)).map((d) => d.kernelName);
}
