// A bare Tokenizer.save() writes durably on its own (not only through @attn/pipelines' saveTokenizer): the
// content flushed under a temporary name, renamed into place, the directory flushed after the rename.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditDurableWrites } from '@attn/tensor/testing';
import { Tokenizer } from './tokenizer';

const bertJson = new URL('../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'attn-tok-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Tokenizer.save', () => {
  it('flushes tokenizer.json, renames it into place and flushes its directory, also over an existing file', async () => {
    const tok = await Tokenizer.fromFile(bertJson);
    const path = join(dir, 'tokenizer.json');
    const report = await auditDurableWrites(dir, async () => {
      await tok.save(path);
      tok.addTokens(['newword']);
      await tok.save(path); // over the first save
    });
    expect(report.files).toEqual(['tokenizer.json']); // no temporary file left behind
    expect(report.notDurable).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(tok.toJSON());
  });
});

describe('Tokenizer.saveVocabFile', () => {
  it('writes vocab.txt durably, in id order, and fromVocabFile reads back the same ids', async () => {
    const tok = await Tokenizer.fromFile(bertJson);
    const sub = mkdtempSync(join(dir, 'vocab-'));
    const path = join(sub, 'vocab.txt');
    const report = await auditDurableWrites(sub, () => tok.saveVocabFile(path));
    expect(report).toEqual({ files: ['vocab.txt'], notDurable: [] });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.length).toBe(tok.getVocabSize() + 1); // and a final newline
    expect([lines[0], lines[100], lines[7592]]).toEqual(['[PAD]', '[UNK]', 'hello']);
    const back = await Tokenizer.fromVocabFile(path);
    const text = 'Hello, wonderful world of tokenizers!';
    expect(back.encode(text).ids).toEqual(tok.encode(text).ids);
  });

  it('refuses a model that is not WordPiece, naming the file and field', async () => {
    const bpe = Tokenizer.fromJSON({ version: '1.0', model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [] } });
    await expect(bpe.saveVocabFile(join(dir, 'bpe-vocab.txt'))).rejects.toThrow(/bpe-vocab\.txt \[model\.type\]: vocab\.txt holds a WordPiece vocabulary; this tokenizer's model is BPE/);
  });
});
