import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { readStdin } from './read_stdin';

it('joins the chunks of a stream, multi-byte characters split across chunks included', async () => {
  const bytes = Buffer.from('héllo\nwörld\n', 'utf8');
  const stream = Readable.from([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)], { objectMode: true });
  expect(await readStdin(stream)).toBe('héllo\nwörld\n');
});
