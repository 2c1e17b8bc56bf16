import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxLengthFlag, maxPositions } from './max_length_flag';

const dir = mkdtempSync(join(tmpdir(), 'attn-cli-maxlen-'));
const short = join(dir, 'short');
mkdirSync(short);
writeFileSync(join(short, 'config.json'), JSON.stringify({ model_type: 'bert', max_position_embeddings: 64 }));

describe('maxLengthFlag', () => {
  it("refuses more tokens than the model's position embeddings, naming the flag, the model and the limit", () => {
    expect(maxPositions('bert-tiny')).toBe(512);
    expect(maxPositions(short)).toBe(64);
    expect(maxPositions(join(dir, 'missing'))).toBeUndefined();
    expect(() => maxLengthFlag('1024', { model: 'bert-tiny' })).toThrowError('--max-length 1024 is more than bert-tiny can take (max_position_embeddings 512); pass --max-length 512 or less.');
    expect(() => maxLengthFlag('128', { model: short })).toThrowError(`--max-length 128 is more than ${short} can take (max_position_embeddings 64); pass --max-length 64 or less.`);
    expect(maxLengthFlag('64', { model: short })).toBe(64);
    expect(maxLengthFlag(512, { model: 'bert-tiny' })).toBe(512);
  });

  it('names --max-length for a value that is not a usable integer', () => {
    expect(() => maxLengthFlag('0')).toThrowError('--max-length must be an integer >= 8; got "0".');
    expect(() => maxLengthFlag('abc')).toThrowError('--max-length must be an integer >= 8; got "abc".');
    expect(() => maxLengthFlag('12.5')).toThrowError('--max-length must be an integer >= 8; got "12.5".');
    expect(() => maxLengthFlag('16', { min: 32 })).toThrowError('--max-length must be an integer >= 32; got "16".');
  });
});
