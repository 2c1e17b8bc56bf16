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
