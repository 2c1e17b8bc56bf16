// The README's usage example runs as written (against the built package, as a user imports it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = new URL('..', import.meta.url).pathname;

describe('README usage', () => {
  it.skipIf(!existsSync(join(pkg, 'dist/testing.js')))('runs as written and leaks nothing', () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    // The example is TypeScript without type-only syntax, so Node runs it as JavaScript.
    const code = /## Usage\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!
      .replaceAll("from '@attn/tensor/testing'", `from '${join(pkg, 'dist/testing.js')}'`)
      .replaceAll("from '@attn/tensor'", `from '${join(pkg, 'dist/index.js')}'`);
    const dir = mkdtempSync(join(tmpdir(), 'attn-readme-'));
    try {
      writeFileSync(join(dir, 'example.mjs'), code);
      const out = execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8', env: { ...process.env, ATTN_QUIET_NATIVE: '1', ATTN_BACKEND: 'cpu', NO_COLOR: '1', FORCE_COLOR: '0' } });
      expect(out).toMatch(/^loss \d+\.\d+/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
