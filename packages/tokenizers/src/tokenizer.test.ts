import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { Tokenizer } from './tokenizer';
import { charToToken, tokenToChars, wordToTokens } from './encoding';
// @ts-expect-error plain JS helper shared with tools/
import { oracleEncoding, diffEncodings } from '../test/parity_harness.mjs';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const tokDir = new URL('../../../fixtures/tokenizers/', import.meta.url).pathname;
const bertJson = `${tokDir}bert-base-uncased/tokenizer.json`;

let bert: Tokenizer;
let roberta: Tokenizer;
beforeAll(async () => {
  bert = await Tokenizer.fromFile(bertJson);
  roberta = await Tokenizer.fromBPEFiles(`${tokDir}roberta-base/vocab.json`, `${tokDir}roberta-base/merges.txt`, { kind: 'roberta' });
});

describe('Tokenizer.encode', () => {
  it('gives offsets in UTF-16 code units of the input, also after emoji and astral characters', () => {
    const text = 'I 😀 love 𝔘nicode café';
    const e = bert.encode(text);
    for (let i = 0; i < e.ids.length; i++) {
      if (e.specialTokensMask[i]) continue;
      const [s, t] = e.offsets[i]!;
      const piece = text.slice(s, t).toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
      const tok = e.tokens[i]!.replace(/^##/, '');
      if (tok !== '[UNK]') expect(piece).toBe(tok);
    }
    expect(e.offsets[e.tokens.indexOf('love')]).toEqual([5, 9]);
  });

  it('charToToken, tokenToChars and wordToTokens agree with the offsets', () => {
    const text = 'who is 😀 unaffable?';
    const e = bert.encode(text, 'a pair');
    const start = text.indexOf('unaffable');
    const t = charToToken(e, start + 1)!;
    expect(e.tokens[t]).toBe('una');
    expect(tokenToChars(e, t)).toEqual([start, start + 3]);
    const w = e.wordIds[t]!;
    const [a, b] = wordToTokens(e, w)!;
    expect(e.tokens.slice(a, b).join('').replaceAll('##', '')).toBe('unaffable');
    expect(e.offsets[b - 1]![1]).toBe(start + 'unaffable'.length);
    expect(charToToken(e, text.indexOf('😀') + 1)).toBe(charToToken(e, text.indexOf('😀')));
    expect(charToToken(e, 2, 1)).toBe(e.tokens.lastIndexOf('pair'));
    expect(wordToTokens(e, 99)).toBeUndefined();
  });

  it('pads like HF: longest / max_length / multiple / left, overflowing windows too', async () => {
    const oracle = O.Tokenizer.fromFile(bertJson);
    const texts = ['hello world', 'a b c d e f g h i j k', 'the quick brown fox jumps over the lazy dog'];
    const cases: Array<[Parameters<Tokenizer['setPadding']>[0], object]> = [
      [{ padToMultipleOf: 8 }, { padToMultipleOf: 8 }],
      [{ maxLength: 20, direction: 'left' }, { maxLength: 20, direction: 'left' }],
      [{ strategy: 'max_length', maxLength: 14, padId: 0, padToken: '[PAD]', padTypeId: 1 }, { maxLength: 14, padId: 0, padToken: '[PAD]', padTypeId: 1 }],
    ];
    for (const [mine, theirs] of cases) {
      oracle.setPadding(theirs);
      oracle.setTruncation(10, { stride: 2 });
      const expected = await oracle.encodeBatch(texts);
      const got = bert.encodeBatch(texts, { padding: mine, truncation: { maxLength: 10, stride: 2 } });
      got.forEach((g, i) => expect(diffEncodings(g, oracleEncoding(expected[i], texts[i], null))).toBeNull());
    }
  });

  it('keeps the tokenizer settings unless a call overrides them', () => {
    const tk = Tokenizer.fromJSON(bert.toJSON());
    tk.setTruncation({ maxLength: 5 }).setPadding({ strategy: 'max_length', maxLength: 7 });
    expect(tk.encode('one two three four five six').ids).toHaveLength(7);
    expect(tk.encode('one two three four five six', null, { truncation: false, padding: false }).ids).toHaveLength(8);
    expect(tk.encode('one two', null, { addSpecialTokens: false, padding: false }).tokens).toEqual(['one', 'two']);
    tk.noTruncation().noPadding();
    expect(tk.encode('one two three four five six').ids).toHaveLength(8);
    expect(() => tk.encode('a', null, { truncation: { maxLength: 1 } })).toThrow(/no room/);
  });

  it('produces SQuAD doc-stride windows: each window holds the whole question', () => {
    const q = 'who wrote it?';
    const ctx = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const e = bert.encode(q, ctx, { truncation: { maxLength: 40, stride: 10, strategy: 'only_second' } });
    const windows = [e, ...e.overflowing];
    expect(windows.length).toBeGreaterThan(2);
    for (const w of windows) {
      expect(w.ids.length).toBeLessThanOrEqual(40);
      expect(w.tokens.slice(0, 6)).toEqual(['[CLS]', 'who', 'wrote', 'it', '?', '[SEP]']);
      if (w !== e) expect(w.overflowing).toHaveLength(0);
    }
    // Consecutive windows share `stride` context tokens.
    const ctxTokens = (w: typeof e): number[] => w.ids.filter((_, i) => w.sequenceIds[i] === 1);
    expect(ctxTokens(windows[1]!).slice(0, 10)).toEqual(ctxTokens(windows[0]!).slice(-10));
  });

  it('decodes like HF, with and without special tokens', async () => {
    for (const [tk, oracle, text] of [
      [bert, O.Tokenizer.fromFile(bertJson), "Hello, world! Isn't it unaffable?"],
      [roberta, O.Tokenizer.fromString(JSON.stringify(roberta.toJSON())), 'Hello, world! café 😀 <mask> ok'],
    ] as const) {
      const ids = tk.encode(text).ids;
      expect(tk.decode(ids)).toBe(await oracle.decode(ids, false));
      expect(tk.decode(ids, { skipSpecialTokens: true })).toBe(await oracle.decode(ids, true));
    }
  });

  it('getVocabSize() counts the vocabulary with its added tokens once, as getVocab().size', () => {
    const tk = Tokenizer.fromJSON(JSON.stringify(bert.toJSON()));
    expect(tk.getVocabSize()).toBe(tk.getVocab().size);
    tk.addTokens(['[NEW1]', 'hello', '[NEW2]']); // 'hello' is already in the vocabulary: no new id
    expect(tk.getVocabSize()).toBe(30524);
    expect(tk.getVocabSize()).toBe(tk.getVocab().size);
    expect(tk.getVocabSize(false)).toBe(30522);
    expect(roberta.getVocabSize()).toBe(roberta.getVocab().size);
  });

  it('reports vocabulary and special token ids', () => {
    expect(bert.getVocabSize()).toBe(30522);
    expect([bert.padTokenId, bert.unkTokenId, bert.clsTokenId, bert.sepTokenId, bert.maskTokenId]).toEqual([0, 100, 101, 102, 103]);
    expect([roberta.padTokenId, roberta.unkTokenId, roberta.clsTokenId, roberta.sepTokenId, roberta.maskTokenId]).toEqual([1, 3, 0, 2, 50264]);
    expect(bert.tokenToId('hello')).toBe(7592);
    expect(bert.idToToken(7592)).toBe('hello');
    expect(roberta.setPadding().encodeBatch(['a', 'a b c'])[0]!.ids).toEqual([0, 102, 2, 1, 1]);
    roberta.noPadding();
  });

  it('saves tokenizer.json that HF loads and that loads back to the same tokenizer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-tok-'));
    try {
      const path = join(dir, 'tokenizer.json');
      const tk = Tokenizer.fromJSON(bert.toJSON());
      tk.setTruncation({ maxLength: 16, stride: 4 });
      tk.addTokens(['newword']);
      await tk.save(path);
      const back = await Tokenizer.fromFile(path);
      const oracle = O.Tokenizer.fromFile(path);
      const text = 'the newword is a very long sentence that goes on and on and on, longer than sixteen tokens';
      expect(back.encode(text)).toEqual(tk.encode(text));
      expect(diffEncodings(back.encode(text), oracleEncoding(await oracle.encode(text), text, null))).toBeNull();
      expect(back.toJSON()).toEqual(tk.toJSON());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
