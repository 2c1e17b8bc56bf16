import { decodeBytes, type TextEncoding } from '@attn/data';

/** Everything piped on standard input, decoded strictly (invalid UTF-8 is a DataError naming `<stdin>` and the line). */
export async function readStdin(stream: AsyncIterable<Buffer | string> = process.stdin, encoding: TextEncoding = 'utf8'): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  const bytes = Buffer.concat(chunks);
  // A UTF-8 byte-order mark (Windows editors) is not part of the first text.
  return decodeBytes(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes, '<stdin>', encoding);
}
