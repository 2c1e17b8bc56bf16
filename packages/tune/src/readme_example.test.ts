// The README's usage example runs as written: 20 trials on its stand-in objective, journal and table included.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('runs a pruned TPE study as written and prints the best trial and the table', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    try {
      expect(existsSync(join(run.dir, 'study.jsonl'))).toBe(true);
      const best = Number(run.printed.find((l) => /^\d/.test(l))!.split(' ')[0]);
      expect(best).toBeGreaterThan(0.8);
      expect(run.printed.join('')).toContain('learning_rate');
    } finally {
      run.cleanup();
    }
  }, 60_000);
});
