// Bundles the @attn packages from their sources (as vitest does), so the page needs no prior package build.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(here, '../../packages');
const alias: Record<string, string> = {};
for (const name of readdirSync(packagesDir)) {
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
