import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, splitLines } from './line_reader';
import { readJsonl, streamJsonl } from './jsonl';

describe('line reading', () => {
  it('strips the BOM and CR from strings and streamed files alike', async () => {
    const text = '\ufeffa\r\nb\n\r\nc';
    expect(splitLines(text)).toEqual(['a', 'b', '', 'c']);
    const file = join(mkdtempSync(join(tmpdir(), 'attn-data-')), 'x.txt');
    writeFileSync(file, text);
    const lines: string[] = [];
    for await (const l of readLines(file)) lines.push(l);
    expect(lines).toEqual(['a', 'b', '', 'c']);
  });

  it('streams a JSONL file; stopping early is fine; an empty file is a DataError naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-data-'));
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, Array.from({ length: 1000 }, (_, i) => JSON.stringify({ text: `t${i}`, label: i % 3 })).join('\n'));
    const seen: string[] = [];
    for await (const ex of streamJsonl(file, { textField: 'text', labelField: 'label' })) {
      seen.push(ex.text);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['t0', 't1', 't2']);
    const all = await readJsonl(file, { textField: 'text', labelField: 'label' });
    expect(all.examples).toHaveLength(1000);
    expect(all.examples[999]!.source).toEqual({ file, line: 1000 });
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n');
    await expect(readJsonl(empty, { textField: 'text' })).rejects.toThrowError(`${empty}: empty dataset`);
  });
});
