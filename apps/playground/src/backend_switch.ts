// The page's backend: webgpu → webgl → wasm → cpu by default, or the one the user picks.
import { initBackend, tf, type BackendName } from '@attn/tensor';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const BROWSER_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

// @attn/tensor hands ATTN_WASM_PATH to tfjs's setWasmPaths: a map from file name to the URL Vite emitted.
(globalThis as { ATTN_WASM_PATH?: Record<string, string> }).ATTN_WASM_PATH = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
};

/** Makes `name` (or the best available backend) active; returns what tfjs actually runs on. */
export async function switchBackend(name?: BackendName): Promise<BackendName> {
  const chosen = await initBackend(name ? { backend: name } : {});
  return (tf.getBackend() as BackendName) ?? chosen;
}
