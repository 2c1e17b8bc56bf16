// The README's usage example runs as written: the shipped SST-2 classifier exported to ONNX.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('exports models/attn-bert-tiny-sst2 to model.onnx with the names its comment shows', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    try {
      expect(run.printed.at(-1)).toBe('["input_ids","attention_mask","token_type_ids"] ["logits"]');
      expect(existsSync(join(run.dir, 'model.onnx')) && statSync(join(run.dir, 'model.onnx')).size).toBeGreaterThan(1e6);
    } finally {
      run.cleanup();
    }
  }, 60_000);
});
