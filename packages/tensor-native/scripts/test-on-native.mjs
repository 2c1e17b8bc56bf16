#!/usr/bin/env node
// Runs other packages' vitest suites with the native kernels registered on wasm, e.g. the
// PyTorch parity tests of @attn/models:  node packages/tensor-native/scripts/test-on-native.mjs models trainer
// Writes a temporary vitest config into each package (removed afterwards) that adds test/native_setup.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..');
const setup = join(here, '..', 'test', 'native_setup.ts');
const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: test-on-native.mjs <package> [...]   (folder names under packages/, e.g. models trainer)');
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  const dir = join(packages, name);
  if (!existsSync(join(dir, 'package.json'))) {
    console.error(`no package at ${dir}`);
    failed++;
    continue;
  }
  const config = join(dir, '.vitest.native.tmp.config.ts');
  writeFileSync(
    config,
    `import { attnVitestConfig } from '../../vitest.shared';\n` +
      `const c = attnVitestConfig();\n` +
      `(c as any).test.setupFiles = [${JSON.stringify(setup)}];\n` +
      `(c as any).test.reporters = ['default'];\n` +
      `export default c;\n`,
  );
  try {
    console.log(`@attn/${name} on wasm + native kernels:`);
    execFileSync('npx', ['vitest', 'run', '--config', config], { cwd: dir, stdio: 'inherit' });
  } catch {
    failed++;
  } finally {
    rmSync(config, { force: true });
  }
}
process.exit(failed ? 1 : 0);
