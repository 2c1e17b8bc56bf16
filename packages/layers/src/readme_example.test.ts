// The README's usage example runs as written.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('runs as written: an encoder forward, then LoRA leaves only the adapters trainable', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    const [total, trainable] = run.printed.at(-1)!.split(' ').map(Number);
    expect(total).toBeGreaterThan(trainable!);
    // rank 8 on query and value of 2 layers: 2 × 2 × (128 × 8 + 8 × 128)
    expect(trainable).toBe(2 * 2 * (128 * 8 + 8 * 128));
  });
});
