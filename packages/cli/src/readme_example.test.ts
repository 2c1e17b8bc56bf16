// The README's usage example runs as written: `my-tagger train --model bert-tiny` through the shared helpers.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('parses the command line and loads a preset with the cased vocabulary', async () => {
    const argv = process.argv;
    const exitCode = process.exitCode;
    process.argv = ['node', 'my-tagger', 'train', '--model', 'bert-tiny'];
    try {
      const run = await runUsageExample(resolve(__dirname, '../README.md'));
      run.cleanup();
      expect(process.exitCode ?? 0).toBe(0);
      expect(run.printed.at(-1)).toMatch(/^bert-tiny \(random init, tokenizer .*bert-base-cased\/vocab\.txt\): 28996 tokens$/);
    } finally {
      process.argv = argv;
      process.exitCode = exitCode;
    }
  }, 60_000);
});
