#!/usr/bin/env node
// Bundles an app's CLI from TypeScript source (every @attn package from src/, as the tests see
// them) into one CommonJS file with @attn/tensor-native's kernels registered, for long runs that
// should not wait for every package to be built. @tensorflow/* stays external (the wasm backend
// finds its .wasm files beside its own code), linked into node_modules/ beside the bundle.
//
//   node tools/bundle-app.mjs ner /tmp/attn-run/attn-ner.cjs
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [app, outfile] = process.argv.slice(2);
if (!app || !outfile) {
  console.error('usage: node tools/bundle-app.mjs <ner|qa|classify> <outfile.cjs>');
  process.exit(2);
}
const require = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'));
const esbuild = require('esbuild');

// The entry starts the wasm backend (ATTN_BACKEND overrides) and registers the native kernels first.
const entryDir = join(root, 'apps', app, 'src');
const entry = join(entryDir, '.native-entry.ts');
mkdirSync(dirname(outfile), { recursive: true });
// import() ignores NODE_PATH: give the bundle a node_modules/@tensorflow beside it.
const tfLink = join(dirname(resolve(outfile)), 'node_modules', '@tensorflow');
if (!existsSync(tfLink)) {
  mkdirSync(dirname(tfLink), { recursive: true });
  symlinkSync(join(root, 'packages', 'tensor', 'node_modules', '@tensorflow'), tfLink);
}
writeFileSync(
  entry,
  `import { initBackend, tf, type BackendName } from '@attn/tensor';
import { registerNativeKernelsDetailed } from '@attn/tensor-native';
async function main(): Promise<void> {
  const backend = (process.env.ATTN_BACKEND ?? 'wasm') as BackendName;
  if (backend === 'wasm') {
    // The command's own initBackend keeps these: attn's wasm kernels register once, natives stay.
    await initBackend({ backend });
    const r = registerNativeKernelsDetailed(tf, 'wasm');
    process.stderr.write(r.registered ? \`native kernels: \${r.kernels.join(', ')}\\n\` : \`native kernels off: \${r.reason}\\n\`);
  }
  await import('./cli');
}
void main();
`,
);
try {
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    tsconfig: join(root, 'apps', app, 'tsconfig.json'),
    external: ['@tensorflow/*'],
    banner: { js: `const __importMetaUrl = require('url').pathToFileURL(${JSON.stringify(join(entryDir, 'cli.ts'))}).href;` },
    define: { 'import.meta.url': '__importMetaUrl' },
    supported: { 'top-level-await': true },
    logLevel: 'warning',
  });
} finally {
  (await import('node:fs')).rmSync(entry, { force: true });
}
console.error(`bundled apps/${app} → ${outfile}`);
