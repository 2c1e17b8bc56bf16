// The README's usage example runs as written (with or without the addon built: the ops fall back to stock kernels).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('runs as written on wasm', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    expect(run.printed.at(-1)).toBe('[8,64,48] wasm');
  });
});
