// The README's usage example runs as written (paths in the repository's fixtures/), three epochs of batches.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '@attn/tensor';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('reads, tokenizes and batches as written, disposing every batch', async () => {
    const before = tf.memory().numTensors;
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
