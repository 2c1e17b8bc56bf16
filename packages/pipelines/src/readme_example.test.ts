// The README's usage example runs as written, from a scratch folder that links the repository's models/.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

describe('README usage example', () => {
  it('runs the NER and QA calls as written, and the shipped NER model finds what the comment shows', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    const [entities] = JSON.parse(run.printed[0]!) as { entity: string; word: string; start: number; end: number }[][];
    expect(entities!.map(({ entity, word, start, end }) => ({ entity, word, start, end }))).toEqual([
      { entity: 'PER', word: 'Angela Merkel', start: 0, end: 13 },
      { entity: 'LOC', word: 'Paris', start: 22, end: 27 },
    ]);
  }, 60_000);
});
