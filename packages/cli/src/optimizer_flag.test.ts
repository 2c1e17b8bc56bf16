import { describe, expect, it } from 'vitest';
import { optimizerFlag } from './optimizer_flag';

describe('optimizerFlag', () => {
  it('passes adamw and sgd and names the flag otherwise', () => {
    expect(optimizerFlag('adamw')).toBe('adamw');
    expect(optimizerFlag('sgd')).toBe('sgd');
    expect(() => optimizerFlag('adam')).toThrow('--optimizer must be adamw or sgd; got "adam".');
    expect(() => optimizerFlag(undefined)).toThrow('--optimizer must be adamw or sgd; got undefined.');
  });
});
