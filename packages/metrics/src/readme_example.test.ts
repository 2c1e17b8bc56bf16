// The README's usage example runs as written and prints what its comments show.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';
import { getEntities, performanceMeasure, seqevalF1 } from './index';

describe('README usage example', () => {
  it('runs as written and prints the reports it shows', async () => {
    const run = await runUsageExample(resolve(__dirname, '../README.md'));
    run.cleanup();
    const all = run.printed.join('\n');
    // The sklearn report the README shows in comments, line for line.
    const shown = [...run.code.matchAll(/^\/\/( {2,}\S.*| +precision.*)$/gm)].map((m) => m[1]!.slice(1));
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (const line of shown) expect(all).toContain(line);
    expect(all).toContain('micro avg');
    // The values its comments state for the seqeval calls.
    const t = [['B-PER', 'I-PER', 'O', 'B-LOC'], ['O', 'B-ORG']];
    const p = [['B-PER', 'I-PER', 'O', 'O'], ['O', 'B-ORG']];
    expect(run.code).toContain('// 0.8');
    expect(seqevalF1(t, p)).toBeCloseTo(0.8, 15);
    expect(performanceMeasure(t, p)).toEqual({ TP: 3, FP: 0, FN: 1, TN: 2 });
    expect(getEntities(t)).toEqual([['PER', 0, 1], ['LOC', 3, 3], ['ORG', 6, 6]]);
    expect(getEntities(t, { offsets: 'sentence' })).toEqual([['PER', 0, 1, 0], ['LOC', 3, 3, 0], ['ORG', 1, 1, 1]]);
  });
});
