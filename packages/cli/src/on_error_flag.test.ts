import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addOnErrorOption, onErrorFlag } from './on_error_flag';

describe('--on-error', () => {
  it('defaults to throw and accepts throw or skip only', () => {
    const cmd = addOnErrorOption(new Command('eval'), 'bad records');
    expect(cmd.options[0]!.defaultValue).toBe('throw');
    expect(cmd.helpInformation()).toMatch(/--on-error <throw\|skip>\s+bad records: stop with one line saying where/);
    expect(onErrorFlag('skip')).toBe('skip');
    expect(() => onErrorFlag('ignore')).toThrow('--on-error must be throw or skip; got "ignore".');
  });
});
