/** The line initBackend prints when wasm runs without @attn/tensor-native in Node. */
export const NATIVE_KERNELS_NOTICE =
  'attn: native kernels not found: npm install @attn/tensor-native for ~3–6× speed (ATTN_QUIET_NATIVE=1 silences this)';

// On globalThis, so two copies of @attn/tensor in one process (ESM and CJS builds) still print once.
const SHOWN = Symbol.for('@attn/tensor.nativeKernelsNoticeShown');

/**
 * Says once per process, on stderr, that the wasm backend runs without the native kernels
 * (measured 45–75 vs 418 examples/s training BERT-tiny). Silent when ATTN_QUIET_NATIVE is set to
 * anything but '' or '0'. Returns whether it printed.
 */
export function noticeMissingNativeKernels(write: (line: string) => void = (line) => void process.stderr.write(line)): boolean {
  const quiet = process.env.ATTN_QUIET_NATIVE;
  if (quiet !== undefined && quiet !== '' && quiet !== '0') return false;
  const g = globalThis as Record<symbol, unknown>;
  if (g[SHOWN]) return false;
  g[SHOWN] = true;
  write(`${NATIVE_KERNELS_NOTICE}\n`);
  return true;
}
