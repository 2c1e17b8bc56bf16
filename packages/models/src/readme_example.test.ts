// The README's usage example runs as written, from a scratch folder that links the repository's models/.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('loads, runs forward and backward, saves and reloads as written', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    try {
      expect(existsSync(join(run.dir, 'out/sst2/model.safetensors'))).toBe(true);
      expect(existsSync(join(run.dir, 'out/sst2/config.json'))).toBe(true);
    } finally {
      run.cleanup();
    }
  }, 60_000);
});
