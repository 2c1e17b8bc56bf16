// No @attn source outside wasm_internals.ts touches a private member of tfjs-backend-wasm or tfjs-core's engine
// state: a tfjs upgrade then needs changes in one file, and its contract tests say which.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ADAPTER = new Set([
  'packages/tensor/src/kernels/wasm_internals.ts',
  'packages/tensor/src/kernels/wasm_internals.test.ts',
  'packages/tensor/src/kernels/wasm_internals_boundary.test.ts',
]);
// BackendWasm members and Emscripten module members that tfjs does not document, and tfjs-core's engine state.
const PRIVATE = /\b(dataIdMap|makeOutput|typedArrayFromHeap|cwrap|ccall|HEAP(U?8|U?16|U?32|F32|F64)|_malloc|_free|registerTensor|dataIdNextNumber|gradientDepth)\b|\.wasm\.tfjs\b|\bwasm\._[A-Z]\w*|\bengine\(\)\.state\b/;
const SKIP = new Set(['node_modules', 'dist', 'prebuilds', 'build', 'coverage', '.nx', 'runs', 'results']);

function sources(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('the tfjs-backend-wasm adapter is the only door', () => {
  it('no other file in packages/, apps/ or tools/ names a private member', () => {
    const files = ['packages', 'apps', 'tools'].flatMap((d) => sources(join(root, d)));
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of files) {
      const rel = relative(root, f).split('\\').join('/');
      if (ADAPTER.has(rel)) continue;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (PRIVATE.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
