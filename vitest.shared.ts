// Shared vitest settings: every @attn/* import resolves to the package's source,
// so tests never need a prior build and always see the current code.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(root, 'packages');
const alias: Record<string, string> = {};
// Subpaths (@attn/tensor/internal → src/internal.ts) first: an alias also matches imports below its name.
const subpaths = ['durable_write', 'internal', 'testing'];
for (const name of readdirSync(packagesDir)) {
  for (const sub of subpaths) {
    const subEntry = join(packagesDir, name, 'src', `${sub}.ts`);
    if (existsSync(subEntry)) alias[`@attn/${name}/${sub}`] = subEntry;
  }
  const entry = join(packagesDir, name, 'src', 'index.ts');
  if (existsSync(entry)) alias[`@attn/${name}`] = entry;
}

export function attnVitestConfig(opts: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { alias },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      passWithNoTests: true,
      pool: 'forks',
      // Test processes run wasm without @attn/tensor-native; its one-line install hint is tested in
      // packages/tensor (native_kernels_notice.test.ts) and would only be noise elsewhere.
      env: { ATTN_QUIET_NATIVE: '1' },
      testTimeout: opts.testTimeout ?? 120_000,
      hookTimeout: 120_000,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    },
  });
}
