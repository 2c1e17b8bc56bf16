import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictTexts } from './predict_texts';

const dir = mkdtempSync(join(tmpdir(), 'attn-cli-texts-'));

describe('predictTexts', () => {
  it('an empty or whitespace-only argument is an error naming it, never a text to label', async () => {
    await expect(predictTexts([''], { verb: 'label' })).rejects.toThrowError('text argument 1 is empty; there is nothing to label.');
    await expect(predictTexts(['fine', ' \t'], { verb: 'tag' })).rejects.toThrowError('text argument 2 of 2 is only whitespace; there is nothing to tag.');
  });

  it('--file: blank lines are skipped; a file of blank lines is an error naming it', async () => {
    const file = join(dir, 'texts.txt');
    writeFileSync(file, 'one\r\n\r\n  \ntwo\n');
    expect(await predictTexts(['zero'], { file, verb: 'label' })).toEqual(['zero', 'one', 'two']);
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, '\n  \n\t\n');
    await expect(predictTexts([], { file: blank, verb: 'label' })).rejects.toThrowError(`--file ${blank}: no text to label (every line is empty or whitespace).`);
  });

  it('--file is decoded strictly: Latin-1 bytes are an error naming file and line, or read on purpose with latin1', async () => {
    const file = join(dir, 'latin1.txt');
    writeFileSync(file, Buffer.concat([Buffer.from('fine\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x0a])]));
    await expect(predictTexts([], { file, verb: 'label' })).rejects.toThrowError(`${file}:2: not valid UTF-8 (byte 0xE9 at byte 4 of the line)`);
    expect(await predictTexts([], { file, encoding: 'latin1', verb: 'label' })).toEqual(['fine', 'café crème']);
  });
});
