// Vitest setup file that runs another package's tests on the native path: every time a test
// switches to the wasm backend, the native kernels are registered (after @attn/tensor's own).
// Used by scripts/test-on-native.mjs; throws when the addon is missing so a run cannot pass vacuously.
import { tf } from '@attn/tensor';
import { activeNativeKernels, nativeAddonStatus, registerNativeKernels } from '@attn/tensor-native';

// Tells test reports that wasm runs on the native kernels here (@attn/tensor's own lookup did not register them).
process.env.ATTN_TEST_NATIVE_SETUP = '1';
const engine = tf.engine() as unknown as { setBackend(name: string): Promise<boolean> };
const setBackend = engine.setBackend.bind(engine);
engine.setBackend = async (name: string) => {
  const ok = await setBackend(name);
  if (name === 'wasm' && activeNativeKernels(tf).length === 0 && !registerNativeKernels(tf)) {
    throw new Error(`@attn/tensor-native: native kernels did not register (${nativeAddonStatus().reason})`);
  }
  return ok;
};
