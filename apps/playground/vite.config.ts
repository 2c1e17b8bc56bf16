// Bundles the @attn packages from their sources (as vitest does), so the page needs no prior package build.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(here, '../../packages');
const alias: Record<string, string> = {};
// Subpaths (@attn/tensor/internal → src/internal.ts) first: an alias also matches imports below its name, so
// without them '@attn/tensor/internal' became '…/src/index.ts/internal' (as vitest.shared.ts does).
const subpaths = ['durable_write', 'internal', 'testing'];
for (const name of readdirSync(packagesDir)) {
  for (const sub of subpaths) {
    const subEntry = join(packagesDir, name, 'src', `${sub}.ts`);
    if (existsSync(subEntry)) alias[`@attn/${name}/${sub}`] = subEntry;
  }
  const entry = join(packagesDir, name, 'src', 'index.ts');
  if (existsSync(entry)) alias[`@attn/${name}`] = entry;
}

export default defineConfig({
  root: here,
  base: './',
  resolve: { alias },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    // One chunk: with code splitting, rolldown moved @tensorflow/tfjs's side-effect imports (the webgl backend's
    // registration, the gradients) into the lazily loaded wasm chunk, so 'webgl' was unknown until wasm loaded.
    rollupOptions: { output: { codeSplitting: false } },
  },
  server: { fs: { allow: [join(here, '../..')] } },
});
