// How a bench process gets attn as an app gets it: the built packages (packages/*/dist), the wasm
// backend through initBackend, and @attn/tensor-native's kernels on top when the addon is built.
// initBackend finds the addon by itself only from a program that depends on @attn/tensor-native
// (the apps do); tools/ has no node_modules, so the registration is explicit here.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class AttnBuildError extends Error {
  name = 'AttnBuildError';
}

/** One package's built ESM entry (the same module instance every other dist import resolves to). */
export async function importAttn(name) {
  const entry = join(repoRoot, 'packages', name, 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new AttnBuildError(`${entry} is missing: build the package first (cd packages/${name} && npx tsup), or run pnpm build at the repo root.`);
  }
  return import(pathToFileURL(entry).href);
}

/**
 * wasm backend + native kernels with `threads` threads (ATTN_NATIVE=0 leaves the stock wasm
 * kernels). Returns tf and a one-line description of what runs the math.
 */
export async function startAttnBackend({ threads }) {
  const tensor = await importAttn('tensor');
  const backend = await tensor.initBackend({ backend: 'wasm' });
  let kernels = 'stock wasm kernels + attn wasm kernels';
  if (process.env.ATTN_NATIVE !== '0') {
    const native = await importAttn('tensor-native');
    const detail = native.registerNativeKernelsDetailed(tensor.tf);
    if (detail.registered) {
      const addon = native.loadNativeAddon();
      addon.setThreads(threads);
      const info = addon.info();
      kernels = `@attn/tensor-native (${info.isa}, ${info.threads} threads, ${native.activeNativeKernels(tensor.tf).length} kernels)`;
    } else {
      kernels += ` (native addon not used: ${detail.reason})`;
    }
  }
  // The heap size goes through @attn/tensor's adapter, the one place that reads tfjs-backend-wasm's internals.
  const { wasmHeapBytes } = await import(pathToFileURL(join(repoRoot, 'packages', 'tensor', 'dist', 'internal.js')).href);
  return { tf: tensor.tf, tensor, backend, kernels, wasmHeapBytes: () => wasmHeapBytes(tensor.tf.backend()) ?? 0 };
}
