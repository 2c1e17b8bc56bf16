import { defineConfig } from 'tsup';

// Apps are executables: one ESM file with a shebang; packages stay external.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  external: [/^@attn\//, /^@tensorflow\//],
});
