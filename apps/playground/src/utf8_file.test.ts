import { describe, it, expect } from 'vitest';
import { DataError } from '@attn/data';
import { decodeUtf8File } from './utf8_file';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('decodeUtf8File', () => {
  it('decodes UTF-8, accents included', () => {
    expect(decodeUtf8File(new TextEncoder().encode('text\tlabel\ncafé crème\tpos\n'), 'a.tsv')).toBe('text\tlabel\ncafé crème\tpos\n');
  });

  it('refuses Latin-1 bytes, naming the file, the line and the byte', () => {
    const bytes = latin1('text\tlabel\ngood\tpos\ncaf\u00e9 cr\u00e8me\tpos\n');
    expect(() => decodeUtf8File(bytes, 'reviews.tsv')).toThrow(DataError);
    expect(() => decodeUtf8File(bytes, 'reviews.tsv')).toThrow(/^reviews\.tsv:3: not valid UTF-8 \(byte 0xE9 at byte 4 of the line\)\. If the file is Latin-1/);
  });

  it('finds a bad byte on the last line without a newline, and a truncated sequence', () => {
    expect(() => decodeUtf8File(latin1('a\nb\xff'), 'x.csv')).toThrow(/^x\.csv:2: not valid UTF-8 \(byte 0xFF at byte 2/);
    expect(() => decodeUtf8File(new Uint8Array([0x61, 0xe2, 0x82]), 'y.csv')).toThrow(/^y\.csv:1: not valid UTF-8 \(byte 0xE2 at byte 2/);
  });
});
