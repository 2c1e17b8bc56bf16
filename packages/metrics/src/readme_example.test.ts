// The README's usage example runs as written (its import pointed at this package's source).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getEntities, performanceMeasure, seqevalF1 } from './index';

const dir = mkdtempSync(join(tmpdir(), 'attn-metrics-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageExample(): string {
  const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
  const m = /## Usage\n\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md: no ```ts block right under "## Usage"');
  return m[1]!.replaceAll("from '@attn/metrics'", `from '${resolve(__dirname, 'index.ts')}'`);
}

describe('README usage example', () => {
  it('runs as written and prints the reports it shows', async () => {
    const code = usageExample();
    const file = join(dir, 'readme_example.ts');
    writeFileSync(file, code);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => void printed.push(a.join(' ')));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (printed.push(String(s)), true));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
      out.mockRestore();
    }
    const all = printed.join('\n');
    // The sklearn report the README shows in comments, line for line.
    const shown = [...code.matchAll(/^\/\/( {2,}\S.*| +precision.*)$/gm)].map((m) => m[1]!.slice(1));
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (const line of shown) expect(all).toContain(line);
    expect(all).toContain('micro avg');
    // The values its comments state for the seqeval calls.
    const t = [['B-PER', 'I-PER', 'O', 'B-LOC'], ['O', 'B-ORG']];
    const p = [['B-PER', 'I-PER', 'O', 'O'], ['O', 'B-ORG']];
    expect(code).toContain('// 0.8');
    expect(seqevalF1(t, p)).toBeCloseTo(0.8, 15);
    expect(performanceMeasure(t, p)).toEqual({ TP: 3, FP: 0, FN: 1, TN: 2 });
    expect(getEntities(t)).toEqual([['PER', 0, 1], ['LOC', 3, 3], ['ORG', 6, 6]]);
    expect(getEntities(t, { offsets: 'sentence' })).toEqual([['PER', 0, 1, 0], ['LOC', 3, 3, 0], ['ORG', 1, 1, 1]]);
  });
});
