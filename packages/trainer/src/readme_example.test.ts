import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tf } from '@attn/tensor';

const repo = resolve(__dirname, '../../..');
const cwd = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'attn-trainer-readme-'));
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

/** The README's first ```ts block under "## Usage", as written. */
function usageExample(): string {
  const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
  const usage = readme.slice(readme.indexOf('## Usage'));
  const m = /```ts\n([\s\S]*?)```/.exec(usage);
  if (!m) throw new Error('README.md: no ```ts block under "## Usage"');
  return m[1]!;
}

describe('README usage example', () => {
  it('runs as written from the repository root', async () => {
    // A scratch "repository root": the example's relative paths, and its runs/ output, land here.
    symlinkSync(join(repo, 'models'), join(dir, 'models'));
    symlinkSync(join(repo, 'fixtures'), join(dir, 'fixtures'));
    const file = join(dir, 'readme_example.ts');
    writeFileSync(file, usageExample());
    process.chdir(dir);
    const logged: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args) => void logged.push(args));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = tf.memory().numTensors;
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const [accuracy, shape] = logged.at(-1)!;
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);
    expect(shape).toEqual([40, 2]);
    expect(readdirSync(join(dir, 'runs/sst2')).filter((n) => n.startsWith('checkpoint-')).length).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
