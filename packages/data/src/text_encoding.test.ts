import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './text_encoding';
import { readLines, readTextFile } from './line_reader';
import { readDelimited } from './delimited';
import { readJsonl } from './jsonl';
import { readConll } from './conll';
import { readSquad } from './squad';
import { DataError } from './data_error';

const dir = mkdtempSync(join(tmpdir(), 'attn-encoding-'));

/** `café crème` as ISO-8859-1: é = E9, è = E8, each one byte (invalid as UTF-8). */
const LATIN1_CAFE = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]);

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function lines(path: string, encoding?: 'utf8' | 'latin1'): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(path, { encoding })) out.push(l);
  return out;
}

describe('text encoding: invalid UTF-8 is an error, latin1 on purpose reads right', () => {
  it('a Latin-1 line in a UTF-8 read is a DataError naming file, line and byte, never U+FFFD', async () => {
    const path = file('latin1.tsv', Buffer.concat([Buffer.from('sentence\tlabel\nfine\t1\n'), LATIN1_CAFE, Buffer.from('\t0\n')]));
    const err = await lines(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      `${path}:3: not valid UTF-8 (byte 0xE9 at byte 4 of the line). If the file is Latin-1 (ISO-8859-1), read it with encoding 'latin1' (--encoding latin1 in the apps) or convert it to UTF-8.`,
    );
    expect((err as DataError).line).toBe(3);
    // The readers pass it through unchanged (a row-level onError: 'skip' does not hide it).
    await expect(readDelimited(path, { textColumn: 'sentence', labelColumn: 'label', onError: 'skip' })).rejects.toThrowError(`${path}:3: not valid UTF-8`);
  });

  it("encoding 'latin1' reads café crème in every reader", async () => {
    const tsv = file('cafe.tsv', Buffer.concat([Buffer.from('sentence\tlabel\n'), LATIN1_CAFE, Buffer.from('\t1\n')]));
    expect((await readDelimited(tsv, { textColumn: 'sentence', labelColumn: 'label', encoding: 'latin1' })).examples[0]!.text).toBe('café crème');
    const jsonl = file('cafe.jsonl', Buffer.concat([Buffer.from('{"text": "'), LATIN1_CAFE, Buffer.from('", "label": 1}\n')]));
    expect((await readJsonl(jsonl, { textField: 'text', labelField: 'label', encoding: 'latin1' })).examples[0]!.text).toBe('café crème');
    await expect(readJsonl(jsonl, { textField: 'text', labelField: 'label' })).rejects.toThrowError(`${jsonl}:1: not valid UTF-8`);
    const conll = file('cafe.conll', Buffer.concat([Buffer.from('Le O\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(' B-LOC\n\n')]));
    expect((await readConll(conll, { tagColumn: -1, encoding: 'latin1' })).examples[0]!.words).toEqual(['Le', 'café']);
    await expect(readConll(conll, { tagColumn: -1 })).rejects.toThrowError(`${conll}:2: not valid UTF-8`);
    // SQuAD JSON is read whole: the error still names the line of the bad byte.
    const squad = JSON.stringify({ version: '1.1', data: [{ title: 't', paragraphs: [{ context: '@@', qas: [{ id: '1', question: 'q?', answers: [{ text: '@@', answer_start: 0 }] }] }] }] }, null, 1);
    const [before, middle, after] = squad.split('@@') as [string, string, string];
    const squadFile = file('cafe.json', Buffer.concat([Buffer.from(before), LATIN1_CAFE, Buffer.from(middle), LATIN1_CAFE, Buffer.from(after)]));
    expect((await readSquad(squadFile, { encoding: 'latin1' })).examples[0]!.context).toBe('café crème');
    await expect(readSquad(squadFile)).rejects.toThrowError(`${squadFile}:${before.split('\n').length}: not valid UTF-8`);
  });

  it('CRLF and a byte-order mark are still dropped, in both encodings', async () => {
    const path = file('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo\r\nwörld\r\n\r\nend')]));
    expect(await lines(path)).toEqual(['héllo', 'wörld', '', 'end']);
    const l1 = file('bom-l1.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), LATIN1_CAFE, Buffer.from('\r\nx\r\n')]));
    expect(await lines(l1, 'latin1')).toEqual(['café crème', 'x']);
    expect(await readTextFile(path)).toBe('héllo\r\nwörld\r\n\r\nend');
    // U+FEFF after the start is text, not a byte-order mark.
    expect(await lines(file('zwnbsp.txt', 'a\n\ufeffb\n'))).toEqual(['a', '\ufeffb']);
  });

  it('a multi-byte character split across stream chunks still decodes', async () => {
    // fs streams read 64 KiB chunks: put a 3-byte and a 4-byte character across the boundaries.
    const chunk = 64 * 1024;
    const head = 'a'.repeat(chunk - 1);
    const tail = 'b'.repeat(chunk - 2);
    const text = `${head}€${tail}😀\nnext line é\n`;
    expect(Buffer.byteLength(head)).toBe(chunk - 1); // € starts 1 byte before the first boundary
    const got = await lines(file('split.txt', text));
    expect(got).toEqual([`${head}€${tail}😀`, 'next line é']);
  });

  it('a bad byte far into a file (a later stream chunk) names its own line', async () => {
    const good = Array.from({ length: 30_000 }, (_, i) => `line ${i + 1} é`).join('\n') + '\n';
    const path = file('long.txt', Buffer.concat([Buffer.from(good), Buffer.from('x '), LATIN1_CAFE, Buffer.from('\nlast\n')]));
    expect(Buffer.byteLength(good)).toBeGreaterThan(4 * 64 * 1024);
    await expect(lines(path)).rejects.toThrowError(`${path}:30001: not valid UTF-8 (byte 0xE9 at byte 6 of the line)`);
    const all = await lines(path, 'latin1');
    expect(all).toHaveLength(30_002);
    expect(all[30_000]).toBe('x café crème');
  });

  it('decodeBytes: strict UTF-8 names the first bad line when no line is given; latin1 maps every byte', () => {
    const bytes = Buffer.concat([Buffer.from('ok\nstill ok\n'), LATIN1_CAFE]);
    expect(() => decodeBytes(bytes, 'f.json')).toThrowError('f.json:3: not valid UTF-8 (byte 0xE9 at byte 4 of the line)');
    expect(decodeBytes(LATIN1_CAFE, 'f', 'latin1')).toBe('café crème');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBytes(all, 'f', 'latin1')).toBe(String.fromCharCode(...all));
    // A long latin1 file goes through in slices (one fromCharCode over all of it would overflow the stack).
    expect(decodeBytes(new Uint8Array(300_000).fill(0xe9), 'f', 'latin1')).toHaveLength(300_000);
  });
});
