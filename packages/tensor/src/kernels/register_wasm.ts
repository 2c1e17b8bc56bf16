// Kernels the wasm backend lacks or runs slowly; registered once when wasm is chosen.
import { tf } from '../tf';
import { makeBatchMatMulWasm } from './batch_mat_mul_plain';
import { NATIVE_KERNEL_MARK } from './native_kernel_mark';
import { fusedMatMulWasm } from './fused_mat_mul';
import { gatherV2Wasm } from './gather_rows';
import { identitySharedWasm } from './identity_shared';
import { replaceKernel } from './register_kernel';
import { makeSliceWasm } from './slice_view';
import { unsortedSegmentSumWasm } from './unsorted_segment_sum';

let registered = false;
/** Per kernel name: attn's config and the stock one it replaced (undefined where wasm had none). */
const overrides = new Map<string, { ours: tf.KernelConfig; stock: tf.KernelConfig | undefined }>();

function override(ours: tf.KernelConfig): void {
  const stock = tf.getKernel(ours.kernelName, 'wasm');
  // Keep the stock set-up so the stock kernel stays callable (fallbacks, setAttnWasmKernels(false)).
  const config = { ...ours, setupFunc: ours.setupFunc ?? stock?.setupFunc };
  overrides.set(ours.kernelName, { ours: config, stock });
  replaceKernel(config);
}

export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  override(unsortedSegmentSumWasm);
  override(gatherV2Wasm);
  override(identitySharedWasm);
  override(makeSliceWasm(tf.getKernel('Slice', 'wasm')));
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  if (stockMatMul) override(makeBatchMatMulWasm(stockMatMul));
  override(fusedMatMulWasm);
}


/** Whether the wasm kernel `name` is currently served by @attn/tensor-native. */
export function isNativeWasmKernel(name: string): boolean {
  const config = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [NATIVE_KERNEL_MARK]?: unknown }) | undefined;
  return !!config && config[NATIVE_KERNEL_MARK] !== undefined;
}

/**
 * Switches between attn's wasm kernels (true, the default after initBackend) and tfjs's stock ones
 * (false) — for benchmarks and A/B checks; all of them, or only `kernelNames`. Returns every overridden name.
 * Kernels @attn/tensor-native serves are left alone (native wins; it falls back to ours itself):
 * call its unregisterNativeKernels first to A/B those.
 */
export function setAttnWasmKernels(enabled: boolean, kernelNames?: string[]): string[] {
  for (const [name, { ours, stock }] of overrides) {
    if (kernelNames && !kernelNames.includes(name)) continue;
    if (isNativeWasmKernel(name)) continue;
    if (enabled) replaceKernel(ours);
    else if (stock) replaceKernel(stock);
    else if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  }
  return [...overrides.keys()];
}

/**
 * Puts every stock wasm kernel back: those @attn/tensor-native replaced (its mark holds the stock config; fused
 * kernels with none are removed), then attn's own. For a registration that failed half-way.
 */
export function removeAttnWasmKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const stock = (config as tf.KernelConfig & { [NATIVE_KERNEL_MARK]?: tf.KernelConfig | null })[NATIVE_KERNEL_MARK];
    if (stock === undefined) continue;
    tf.unregisterKernel(config.kernelName, 'wasm');
    if (stock) tf.registerKernel(stock);
  }
  setAttnWasmKernels(false);
}

export interface NativeKernelsModule {
  registerNativeKernels(core: typeof tf, backend: 'wasm'): boolean;
}

/**
 * Lets the optional `@attn/tensor-native` addon replace wasm kernels (e.g. BLAS matmul).
 * Skipped with ATTN_NATIVE=0; silent when the package is not installed. Returns whether it registered.
 */
export async function registerNativeWasmKernels(): Promise<boolean> {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) return (nativeLookup = 'not-node'), false;
  if (process.env.ATTN_NATIVE === '0') return (nativeLookup = 'disabled'), false;
  // Indirect specifier so bundlers do not try to resolve the optional package.
  const dyn = new Function('s', 'return import(s)') as (s: string) => Promise<Partial<NativeKernelsModule>>;
  for (const specifier of await nativeCandidates()) {
    try {
      const mod = await dyn(specifier);
      if (typeof mod.registerNativeKernels === 'function') {
        nativeLookup = 'found';
        return mod.registerNativeKernels(tf, 'wasm') === true;
      }
    } catch {
      // not installed where this specifier looks; try the next one
    }
  }
  nativeLookup = 'missing';
  return false;
}

/** What the last registerNativeWasmKernels found: the package, no package, or it did not look. */
export type NativeKernelLookup = 'not-run' | 'not-node' | 'disabled' | 'missing' | 'found';
let nativeLookup: NativeKernelLookup = 'not-run';

export function nativeKernelLookup(): NativeKernelLookup {
  return nativeLookup;
}

/**
 * Where to look for the addon: from this package (npm's flat node_modules), then from the
 * program being run (an app that depends on it; pnpm does not link it next to @attn/tensor).
 */
async function nativeCandidates(): Promise<string[]> {
  const out = ['@attn/tensor-native'];
  try {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const main = process.argv[1];
    if (main) out.push(pathToFileURL(createRequire(main).resolve('@attn/tensor-native')).href);
  } catch {
    // the program cannot see it either
  }
  return out;
}
