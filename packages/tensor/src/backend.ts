import { tf } from './tf';
import { registerCpuKernels } from './kernels/register_cpu';
import { registerWebglKernels } from './kernels/register_webgl';
import { noticeMissingNativeKernels } from './native_kernels_notice';

/** Backends attn knows, in order of preference per platform. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /** Force a backend (also settable with the ATTN_BACKEND environment variable). */
  backend?: BackendName;
  /** Print which backend was chosen (default false). */
  verbose?: boolean;
}

export class BackendError extends Error {
  override name = 'BackendError';
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

async function tryImport(specifier: string): Promise<boolean> {
  try {
    // Indirect specifier so bundlers do not try to resolve optional native packages.
    const dyn = new Function('s', 'return import(s)') as (s: string) => Promise<unknown>;
    await dyn(specifier);
    return true;
  } catch {
    return false;
  }
}

let nativeKernels = false;
let nativeMissing = false;
/** tfjs-backend-wasm's version, once imported; why it could not be, otherwise. */
let wasmVersion: string | undefined;
let wasmImportError: string | undefined;

async function importWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!isNode && typeof wasm.setWasmPaths === 'function' && (globalThis as any).ATTN_WASM_PATH) {
      wasm.setWasmPaths((globalThis as any).ATTN_WASM_PATH);
    }
    wasmVersion = wasm.version_wasm;
    return true;
  } catch (e) {
    wasmImportError = (e as Error).message;
    return false;
  }
}

// attn's wasm kernels (and @attn/tensor-native's) replace stock ones only if every tfjs private member they use is
// as in the version they were written for (kernels/wasm_internals.ts). Otherwise, or if registering fails, the
// stock wasm kernels stay and one line on stderr says why; wasm itself is kept either way.
const SKIP = "attn: skipping attn's wasm kernels, keeping tfjs's stock ones (slower): ";
const FAILED = "attn: attn's wasm kernels could not be registered, keeping tfjs's stock ones (slower): ";
let attnWasmKernels = false;

/**
 * Before wasm starts: the versions are checked and attn's kernels registered, so that what registers on top of
 * them when the backend starts (a test's setup hook with @attn/tensor-native) finds them in place.
 */
async function registerWasmKernelsEarly(): Promise<void> {
  const { wasmInternalsProblems } = await import('./kernels/wasm_internals');
  const { registerWasmKernels, removeAttnWasmKernels } = await import('./kernels/register_wasm');
  attnWasmKernels = false;
  const problems = wasmInternalsProblems(undefined, { core: tf.version_core, wasm: wasmVersion });
  if (problems.length) return warnOnce(SKIP + problems.join('; '));
  try {
    registerWasmKernels();
    attnWasmKernels = true;
  } catch (e) {
    removeAttnWasmKernels();
    warnOnce(FAILED + (e as Error).message);
  }
}

/** Once wasm is the active backend: every member is checked on it, then the native kernels go on top. */
async function installWasmKernels(): Promise<void> {
  nativeKernels = false;
  if (!attnWasmKernels) return;
  const { wasmInternalsProblems } = await import('./kernels/wasm_internals');
  const { registerNativeWasmKernels, nativeKernelLookup, removeAttnWasmKernels } = await import('./kernels/register_wasm');
  const problems = wasmInternalsProblems(tf.backend(), { core: tf.version_core, wasm: wasmVersion });
  if (problems.length) {
    removeAttnWasmKernels();
    return warnOnce(SKIP + problems.join('; '));
  }
  try {
    nativeKernels = await registerNativeWasmKernels();
    nativeMissing = nativeKernelLookup() === 'missing';
  } catch (e) {
    removeAttnWasmKernels();
    nativeKernels = false;
    warnOnce(FAILED + (e as Error).message);
  }
}

const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  console.warn(line);
}

async function registerWebgpu(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !(navigator as any).gpu) return false;
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    return true;
  } catch {
    return false;
  }
}

async function prepare(name: BackendName): Promise<boolean> {
  switch (name) {
    case 'tensorflow':
      if (!isNode) return false;
      return (await tryImport('@tensorflow/tfjs-node-gpu')) || (await tryImport('@tensorflow/tfjs-node'));
    case 'webgpu':
      return registerWebgpu();
    case 'wasm':
      if (!(await importWasm())) return false;
      await registerWasmKernelsEarly();
      return true;
    case 'webgl':
      if (isNode) return false;
      registerWebglKernels();
      return true;
    case 'cpu':
      return true;
  }
}

/** Preference order on this platform. */
export function backendPreference(): BackendName[] {
  return isNode ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

let chosen: BackendName | undefined;

/**
 * Picks the best available backend (or the forced one), makes it active and returns its name.
 * Node: tfjs-node-gpu / tfjs-node (optional installs) → wasm → cpu. Browser: webgpu → webgl → wasm → cpu.
 * In Node, wasm without @attn/tensor-native prints one line saying so on stderr, once per process
 * (ATTN_QUIET_NATIVE=1 silences it; ATTN_NATIVE=0, which turns the kernels off on purpose, does too).
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendName> {
  const forced = opts.backend ?? (isNode ? (process.env.ATTN_BACKEND as BackendName | undefined) : undefined);
  const order = forced ? [forced] : backendPreference();
  registerCpuKernels();
  for (const name of order) {
    let failure: string | undefined;
    if (!(await prepare(name))) {
      failure = name === 'wasm' ? wasmImportError : undefined;
    } else {
      try {
        const ok = await tf.setBackend(name);
        await tf.ready();
        if (ok && tf.getBackend() === name) {
          chosen = name;
          if (name === 'wasm') await installWasmKernels();
          // The slow path should not go unannounced: without the addon wasm trains 3–6× slower.
          if (name === 'wasm' && nativeMissing) noticeMissingNativeKernels();
          if (opts.verbose) {
            console.log(`attn: using the ${name} backend${name === 'wasm' && nativeKernels ? ' (+ @attn/tensor-native kernels)' : ''}`);
          }
          return name;
        }
        failure = `tf.setBackend('${name}') left ${tf.getBackend()} active`;
      } catch (e) {
        failure = (e as Error).message;
      }
    }
    // Falling from wasm to cpu costs ~50× in speed: never silently.
    if (name === 'wasm' && !forced) {
      warnOnce(`attn: the wasm backend could not start (${failure ?? 'unknown reason'}); using the cpu backend, about 50× slower`);
    }
  }
  if (forced) {
    // "Available here" would list tensorflow, the very backend that is missing: say what it needs.
    const needs = forced === 'tensorflow' && isNode ? ': it needs @tensorflow/tfjs-node (or -gpu), which is not installed here (npm install @tensorflow/tfjs-node)' : ' could not be initialised';
    const others = backendPreference().filter((b) => b !== forced && b !== 'tensorflow');
    throw new BackendError(`Backend "${forced}" (from ${opts.backend ? 'the backend option' : 'ATTN_BACKEND'})${needs}. Use ${others.join(' or ')} instead.`);
  }
  throw new BackendError('No TensorFlow.js backend could be initialised.');
}

/** Whether @attn/tensor-native's kernels were registered for wasm by initBackend. */
export function nativeKernelsActive(): boolean {
  return nativeKernels;
}

/** The backend chosen by the last initBackend call, if any. */
export function currentBackend(): BackendName | undefined {
  return chosen;
}
