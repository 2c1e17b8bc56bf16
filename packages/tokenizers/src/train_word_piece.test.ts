import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { trainWordPiece } from './train_word_piece';
import { Tokenizer } from './tokenizer';
// @ts-expect-error plain JS helper shared with tools/
import { oracleEncoding, diffEncodings } from '../test/parity_harness.mjs';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const sample = JSON.parse(readFileSync(new URL('../../../fixtures/tokenizer-corpus/sample.json', import.meta.url), 'utf8')) as { gutenberg: string[]; sst2: string[] };

async function* stream(texts: string[]): AsyncIterable<string> {
  for (const t of texts) yield t;
}

describe('trainWordPiece', () => {
  it('trains on Gutenberg paragraphs, round-trips through tokenizer.json and encodes as HF does', async () => {
    const tk = await trainWordPiece(stream(sample.gutenberg), { vocabSize: 2000, minFrequency: 2 });
    expect(tk.getVocabSize()).toBe(2000);
    expect(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => tk.tokenToId(t))).toEqual([0, 1, 2, 3, 4]);
    const vocab = tk.getVocab();
    expect(vocab.has('the')).toBe(true);
    expect([...vocab.keys()].some((t) => t.startsWith('##'))).toBe(true);

    const back = Tokenizer.fromJSON(JSON.stringify(tk.toJSON()), 'trained.json');
    const oracle = O.Tokenizer.fromString(JSON.stringify(tk.toJSON()));
    const texts = [...sample.gutenberg.slice(0, 100), ...sample.sst2.slice(0, 100)];
    for (const t of texts) {
      const e = tk.encode(t);
      expect(back.encode(t)).toEqual(e);
      expect(diffEncodings(e, oracleEncoding(await oracle.encode(t), t, null))).toBeNull();
    }
    expect(tk.encode('the old man').tokens).toEqual(['[CLS]', 'the', 'old', 'man', '[SEP]']);
  });

  it("learns the vocabulary HF WordPieceTrainer learns (up to HF's own run-to-run variation)", async () => {
    // HF visits words in hash-map order, so its equally frequent merges come out in a different
    // order on every run: two HF runs on this corpus differ by 18-68 of ~5,000 tokens.
    const lines = sample.gutenberg.slice(0, 200).join('\n').split(/\r?\n/);
    const dir = mkdtempSync(join(tmpdir(), 'attn-train-'));
    try {
      writeFileSync(join(dir, 'corpus.txt'), lines.join('\n'));
      const hf = new O.Tokenizer(O.WordPiece.empty());
      hf.setNormalizer(O.bertNormalizer({ lowercase: true, stripAccents: true }));
      hf.setPreTokenizer(O.bertPreTokenizer());
      hf.train([join(dir, 'corpus.txt')]);
      const theirs = new Set(Object.keys(hf.getVocab(true)));
      const mine = new Set((await trainWordPiece(lines, { vocabSize: 30000, specialTokens: [] })).getVocab(false).keys());
      const shared = [...mine].filter((t) => theirs.has(t)).length;
      console.log(`[train] HF ${theirs.size} tokens, attn ${mine.size}, shared ${shared}`);
      expect(Math.abs(mine.size - theirs.size)).toBeLessThan(theirs.size * 0.01);
      expect(shared / theirs.size).toBeGreaterThan(0.96);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours minFrequency, limitAlphabet, special tokens and the prefix', async () => {
    const texts = ['aaa bbb aab', 'aaa ccc', 'zzz'];
    const loose = await trainWordPiece(texts, { vocabSize: 100, specialTokens: ['<unk>'], unkToken: '<unk>', continuingSubwordPrefix: '@@' });
    const strict = await trainWordPiece(texts, { vocabSize: 100, minFrequency: 3, specialTokens: ['<unk>'], unkToken: '<unk>', continuingSubwordPrefix: '@@' });
    expect(loose.getVocabSize()).toBeGreaterThan(strict.getVocabSize());
    expect(loose.tokenToId('<unk>')).toBe(0);
    expect(loose.tokenToId('@@a')).toBeDefined();
    expect(loose.encode('aaa').tokens).toEqual(['aaa']);
    // The alphabet keeps the 2 most frequent characters (a, b): z and c are unknown.
    const limited = await trainWordPiece(texts, { vocabSize: 100, limitAlphabet: 2, specialTokens: ['[UNK]'] });
    expect(limited.tokenToId('a')).toBeDefined();
    expect(limited.tokenToId('z')).toBeUndefined();
    expect(limited.encode('zzz').tokens).toEqual(['[UNK]']);
    // Vocabulary size is a hard cap.
    expect((await trainWordPiece(texts, { vocabSize: 8, specialTokens: [] })).getVocabSize()).toBeLessThanOrEqual(8);
  });
});
