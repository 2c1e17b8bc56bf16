// attn's BpeTrainer against HF tokenizers' (Python, 0.23.2) on a slice of the Gutenberg corpus:
// the same vocabulary (id order) and merges (rank order) for a GPT-2-style byte-level BPE, the
// Llama-style byte-fallback BPE and single options. Expected values: fixtures/tokenizer-corpus/
// hf-bpe-trainer.json, written by tools/tokenizers/make_bpe_trainer_fixtures.py.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR } from '../byte_level_alphabet';
import { TokenizerError } from '../errors';
import { Tokenizer } from '../tokenizer';
import { trainBpe } from '../train_bpe';
import { WordPiece } from '../models/word_piece';
import { BpeTrainer, type BpeTrainerOptions } from './bpe_trainer';
// @ts-expect-error plain JS helper shared with tools/
import { strippedLines } from '../../test/corpus.mjs';

const dir = new URL('../../../../fixtures/tokenizer-corpus/', import.meta.url).pathname;
interface Case {
  name: string;
  pipeline: 'byte_level' | 'byte_fallback' | 'whitespace';
  feed: 'files' | 'lines';
  vocabSize: number;
  options: Record<string, unknown>;
  vocab: string[];
  merges: string[];
  addedTokens: string[];
  probes: Array<{ input: string; ids: number[]; decode: string }>;
}
const fixture: { tokenizersVersion: string; slice: string; cases: Case[]; random: Array<{ words: Record<string, number>; vocabSize: number; vocab: string[]; merges: string[] }> } = JSON.parse(readFileSync(`${dir}hf-bpe-trainer.json`, 'utf8'));
const sliceFile = `${dir}${fixture.slice}`;
const sliceLines = (): string[] => strippedLines(readFileSync(sliceFile, 'utf8'));

const camel = (o: Record<string, unknown>): BpeTrainerOptions =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

async function trainCase(c: Case): Promise<Tokenizer> {
  const opts = { ...camel(c.options), vocabSize: c.vocabSize, showProgress: false };
  const texts = c.feed === 'lines' ? sliceLines() : null;
  if (c.pipeline === 'byte_level') {
    if (texts) return trainBpe(texts, { ...opts, kind: 'byte-level' });
    // Tokenizer.train(files), HF's path: lines keep their "\r\n".
    const tk = Tokenizer.fromJSON({
      model: { type: 'BPE', vocab: {}, merges: [] },
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false },
      post_processor: { type: 'ByteLevel', trim_offsets: false },
      decoder: { type: 'ByteLevel' },
    });
    return tk.train([sliceFile], new BpeTrainer({ ...opts, specialTokens: ['<|endoftext|>'], initialAlphabet: BYTE_TO_CHAR }));
  }
  if (c.pipeline === 'byte_fallback') return trainBpe(texts!, { ...opts, kind: 'byte-fallback' });
  const tk = Tokenizer.fromJSON({ model: { type: 'BPE', unk_token: '<unk>', vocab: {}, merges: [] }, pre_tokenizer: { type: 'Whitespace' } });
  return tk.trainFromIterator(texts!, new BpeTrainer({ ...opts, specialTokens: ['<unk>', '<pad>'] }));
}

describe('BpeTrainer: HF tokenizers fixture', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: same vocabulary, merges and encodings as HF', async (_, c) => {
    const tk = await trainCase(c);
    const json = tk.toJSON() as { model: { vocab: Record<string, number>; merges: string[][] }; added_tokens: Array<{ content: string }> };
    const vocab = Object.entries(json.model.vocab).sort((x, y) => x[1] - y[1]).map(([t]) => t);
    expect(vocab.length).toBe(c.vocab.length);
    expect(vocab).toEqual(c.vocab);
    expect(json.model.merges.map((m) => m.join(' '))).toEqual(c.merges);
    expect(json.added_tokens.map((a) => a.content)).toEqual(c.addedTokens);
    for (const p of c.probes) {
      expect(tk.encode(p.input).ids).toEqual(p.ids);
      expect(tk.decode(p.ids, { skipSpecialTokens: true })).toBe(p.decode);
    }
    if (c.pipeline === 'byte_fallback') {
      // Every stage but the vocabulary is the shared llama-style-bpe/tokenizer.json's.
      const ref = JSON.parse(readFileSync(new URL('../../../../fixtures/tokenizers/llama-style-bpe/tokenizer.json', import.meta.url), 'utf8'));
      const mine = tk.toJSON() as Record<string, Record<string, unknown>>;
      for (const k of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder', 'added_tokens']) expect(mine[k]).toEqual(ref[k]);
      expect({ ...mine.model, vocab: 0, merges: 0 }).toEqual({ ...ref.model, vocab: 0, merges: 0 });
    }
    // The trained tokenizer.json loads back into the same tokenizer.
    const back = Tokenizer.fromJSON(JSON.stringify(json), `${c.name}.json`);
    for (const p of c.probes) expect(back.encode(p.input).ids).toEqual(p.ids);
  });
});

describe('BpeTrainer', () => {
  it('learns what HF learns on 300 random small corpora (ties, tokens formed by two different pairs)', () => {
    const bad: string[] = [];
    for (const r of fixture.random) {
      const { vocab, merges } = new BpeTrainer({ vocabSize: r.vocabSize, showProgress: false }).learn(new Map(Object.entries(r.words)));
      const got = JSON.stringify([[...vocab.keys()], merges.map((m) => m.join(' '))]);
      if (got !== JSON.stringify([r.vocab, r.merges])) bad.push(JSON.stringify(r.words));
    }
    expect(fixture.random.length).toBe(300);
    expect(bad).toEqual([]);
  });

  it('ties go to the pair of smaller ids; a suffix and a prefix mark word ends and continuations', () => {
    // "ab" and "cd" are equally frequent: a < c, so "ab" is merged first.
    const t = new BpeTrainer({ vocabSize: 100, showProgress: false });
    expect(t.learn(new Map([['cd', 2], ['ab', 2]])).merges).toEqual([['a', 'b'], ['c', 'd']]);
    const s = new BpeTrainer({ vocabSize: 100, showProgress: false, continuingSubwordPrefix: '##', endOfWordSuffix: '</w>' });
    const { vocab, merges } = s.learn(new Map([['abc', 3]]));
    expect([...vocab.keys()]).toEqual(['a', 'b', 'c', '##b', '##c</w>', 'ab', 'abc</w>']);
    expect(merges).toEqual([['a', '##b'], ['ab', '##c</w>']]);
  });

  it('stops at minFrequency and at vocabSize; maxTokenLength bounds every token', () => {
    const words = new Map([['aaaa', 5], ['abab', 2]]);
    expect(new BpeTrainer({ showProgress: false, minFrequency: 6 }).learn(words).merges).toEqual([['a', 'a']]);
    expect(new BpeTrainer({ showProgress: false, vocabSize: 3 }).learn(words).merges).toEqual([['a', 'a']]);
    const long = new BpeTrainer({ showProgress: false, maxTokenLength: 3 }).learn(new Map([['abcdefgh', 4]]));
    expect(Math.max(...[...long.vocab.keys()].map((k) => k.length))).toBeLessThanOrEqual(3);
  });

  it('limitAlphabet keeps the most frequent characters and the initial alphabet', () => {
    const t = new BpeTrainer({ showProgress: false, vocabSize: 2, limitAlphabet: 2, initialAlphabet: ['zebra'] });
    expect([...t.learn(new Map([['aab', 3], ['c', 1]])).vocab.keys()]).toEqual(['a', 'z']);
  });

  it('bad options, bad texts and a non-BPE model give one-line errors', async () => {
    expect(() => new BpeTrainer({ vocabSize: -1 })).toThrow(/BpeTrainer\.vocabSize.*vocabSize must be an integer >= 0, got -1/);
    expect(() => new BpeTrainer({ maxTokenLength: 1.5 })).toThrow(TokenizerError);
    const wp = new Tokenizer({ model: new WordPiece(new Map([['[UNK]', 0]]), { unkToken: '[UNK]' }) });
    await expect(trainBpe('one string' as unknown as string[])).rejects.toThrow(/an iterable of strings.*got one string/);
    await expect(trainBpe([1] as unknown as string[])).rejects.toThrow(/must be strings, got number/);
    await expect(wp.trainFromIterator(['x'], new BpeTrainer({ showProgress: false }))).rejects.toThrow(/BpeTrainer trains a BPE model/);
  });

  it('train(files) names a file that is not UTF-8 or cannot be read', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'attn-bpe-'));
    try {
      writeFileSync(join(tmp, 'bad.txt'), Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
      const tk = Tokenizer.fromJSON({ model: { type: 'BPE', vocab: {}, merges: [] } });
      await expect(tk.train([join(tmp, 'bad.txt')], new BpeTrainer({ showProgress: false }))).rejects.toThrow(/bad\.txt.*not valid UTF-8/);
      await expect(tk.train([join(tmp, 'missing.txt')], new BpeTrainer({ showProgress: false }))).rejects.toThrow(/missing\.txt.*cannot read/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('byte-fallback: characters outside the vocabulary encode as bytes and decode back', async () => {
    const tk = await trainBpe(['the cat sat on the mat', 'the dog'], { kind: 'byte-fallback', vocabSize: 300, showProgress: false });
    const enc = tk.encode('the 猫 sat');
    expect(enc.tokens.filter((t) => t.startsWith('<0x'))).toEqual(['<0xE7>', '<0x8C>', '<0xAB>']);
    expect(tk.decode(enc.ids, { skipSpecialTokens: true })).toBe('the 猫 sat');
    expect(tk.tokenToId('<s>')).toBe(1);
    expect(enc.ids[0]).toBe(1);
  });
});
