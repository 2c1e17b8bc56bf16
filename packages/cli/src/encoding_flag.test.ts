import { expect, it } from 'vitest';
import { encodingFlag } from './encoding_flag';

it('--encoding: utf8 or latin1 in their usual spellings; anything else names the flag', () => {
  expect(encodingFlag(undefined)).toBe('utf8');
  expect(encodingFlag('UTF-8')).toBe('utf8');
  expect(encodingFlag('latin1')).toBe('latin1');
  expect(encodingFlag('ISO-8859-1')).toBe('latin1');
  expect(() => encodingFlag('cp1252')).toThrowError('--encoding must be utf8 or latin1; got "cp1252".');
});
