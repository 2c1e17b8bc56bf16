import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { readStdin } from './read_stdin';

it('joins the chunks of a stream, multi-byte characters split across chunks included', async () => {
  const bytes = Buffer.from('héllo\nwörld\n', 'utf8');
  const stream = Readable.from([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)], { objectMode: true });
  expect(await readStdin(stream)).toBe('héllo\nwörld\n');
});

it('invalid UTF-8 on standard input is an error naming <stdin> and the line; latin1 reads it', async () => {
  const latin1 = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]);
  await expect(readStdin(Readable.from([latin1], { objectMode: true }))).rejects.toThrowError('<stdin>:2: not valid UTF-8 (byte 0xE9 at byte 4 of the line)');
  expect(await readStdin(Readable.from([latin1], { objectMode: true }), 'latin1')).toBe('a\ncafé\n');
});
