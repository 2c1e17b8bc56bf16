// The README's usage example runs as written (paths in the repository's fixtures/).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('windows a long context, finds the answer token and round-trips GPT-2 bytes', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    const [windows, token, text] = run.printed.at(-1)!.split(' ', 3);
    expect(Number(windows)).toBeGreaterThan(1);
    expect(Number(token)).toBeGreaterThan(0);
    expect(run.printed.at(-1)!.endsWith('Hello 😀')).toBe(true);
    expect(text).toBe('Hello');
  });
});
