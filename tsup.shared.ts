// Shared tsup settings: ESM + CJS + .d.ts, every dependency left external.
import { defineConfig, type Options } from 'tsup';

export function attnTsupConfig(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: [/^@attn\//, /^@tensorflow\//],
    ...overrides,
  });
}

/** An app: one ESM executable (dist/cli.js, with a shebang) from src/cli.ts; packages stay external. */
export function attnAppTsupConfig(overrides: Partial<Options> = {}) {
  return attnTsupConfig({ entry: { cli: 'src/cli.ts' }, format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' }, ...overrides });
}
