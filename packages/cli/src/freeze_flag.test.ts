import { describe, expect, it } from 'vitest';
import { parseFreezeFlag } from './freeze_flag';
import { CliError } from './cli_error';

describe('parseFreezeFlag', () => {
  it('reads the named strategies and bottom:<layers> (or bottom-<layers>)', () => {
    expect(parseFreezeFlag('embeddings')).toBe('embeddings');
    expect(parseFreezeFlag('bottom:2')).toEqual({ bottomLayers: 2 });
    expect(parseFreezeFlag('bottom-3')).toEqual({ bottomLayers: 3 });
  });

  it('lists the accepted forms when the value is none of them', () => {
    expect(() => parseFreezeFlag('bottom=2')).toThrow(new CliError('--freeze must be none, embeddings, all-but-head or bottom:<layers>; got "bottom=2".'));
    expect(() => parseFreezeFlag('top:2')).toThrow(CliError);
  });
});
