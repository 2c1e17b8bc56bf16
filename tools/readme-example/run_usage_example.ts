/**
 * Runs a README's main example as written, for the per-package `readme_example.test.ts` files: the first
 * ```ts block under `## Usage` is copied verbatim into a scratch folder that links the checkout's `models/`
 * and `fixtures/` (so the example's relative paths are the repository's, and what it writes lands in the
 * scratch folder), then imported by vitest, whose aliases resolve `@attn/*` to the packages' source.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The first ```ts block under `heading` (default `## Usage`) of a README, as written. */
export function usageExample(readmePath: string, heading = '## Usage'): string {
  const readme = readFileSync(readmePath, 'utf8');
  const at = readme.indexOf(`${heading}\n`);
  if (at < 0) throw new Error(`${readmePath}: no "${heading}" section`);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m) throw new Error(`${readmePath}: no \`\`\`ts block under "${heading}"`);
  return m[1]!;
}

export interface ExampleRun {
  /** The code that ran. */
  code: string;
  /** console.log lines (non-strings as JSON) and process.stdout writes, in order. */
  printed: string[];
  /** The scratch folder the example ran in (removed by `cleanup`). */
  dir: string;
  cleanup: () => void;
}

export interface RunOptions {
  /** The README section whose first ```ts block is the example. Default `## Usage`. */
  heading?: string;
  /** Runs while the example runs (after it started), e.g. to call a server it starts and stop it. */
  during?: () => Promise<void>;
}

/** Runs the README's usage example with the scratch folder as working directory; throws what the example throws. */
export async function runUsageExample(readmePath: string, options: RunOptions = {}): Promise<ExampleRun> {
  const code = usageExample(readmePath, options.heading);
  const dir = mkdtempSync(join(tmpdir(), 'attn-readme-'));
  for (const name of ['models', 'fixtures']) symlinkSync(join(repo, name), join(dir, name));
  const file = join(dir, 'readme_example.ts');
  writeFileSync(file, code);
  const printed: string[] = [];
  const cwd = process.cwd();
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (printed.push(String(s)), true));
  process.chdir(dir);
  try {
    const done = import(/* @vite-ignore */ file);
    if (options.during) await Promise.race([options.during(), done]);
    await done;
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    out.mockRestore();
  }
  return { code, printed, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
