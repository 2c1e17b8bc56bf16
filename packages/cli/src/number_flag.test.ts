import { describe, expect, it } from 'vitest';
import { numberFlag } from './number_flag';
import { CliError } from './cli_error';

describe('numberFlag', () => {
  it('parses numbers and integers within bounds', () => {
    expect(numberFlag('lr', '5e-5')).toBe(5e-5);
    expect(numberFlag('epochs', '3', { int: true, min: 1 })).toBe(3);
  });

  it('names the flag, the rule and the value when it is broken', () => {
    expect(() => numberFlag('epochs', '2.5', { int: true, min: 1 })).toThrow(new CliError('--epochs must be an integer >= 1; got "2.5".'));
    expect(() => numberFlag('lr', 'fast')).toThrow(new CliError('--lr must be a number; got "fast".'));
    expect(() => numberFlag('limit', '-1', { min: 0 })).toThrow(new CliError('--limit must be a number >= 0; got "-1".'));
    expect(() => numberFlag('seed', undefined)).toThrow(new CliError('--seed must be a number; got undefined.'));
  });
});
