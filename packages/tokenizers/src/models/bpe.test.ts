import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';
import { BPE } from './bpe';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const tokDir = new URL('../../../../fixtures/tokenizers/', import.meta.url).pathname;

describe('BPE', () => {
  it('merges long words (heap path) exactly as HF, and stays fast on a 100k-character word', async () => {
    const mine = await Tokenizer.fromBPEFiles(`${tokDir}gpt2/vocab.json`, `${tokDir}gpt2/merges.txt`);
    const oracle = O.Tokenizer.fromString(JSON.stringify(mine.toJSON()));
    const words = ['supercalifragilisticexpialidociouslyantidisestablishmentarianism', 'a'.repeat(45), 'ab'.repeat(30), 'é'.repeat(30), '😀'.repeat(20)];
    for (let i = 0; i < 150; i++) {
      let w = '';
      for (let k = 0; k < 25 + (i % 60); k++) w += 'etaoinshrdlucmfwypvbgkqjxz'[(i * 7 + k * k * 13 + k) % 26];
      words.push(w);
    }
    for (const w of words) expect(mine.encode(w).tokens, w).toEqual((await oracle.encode(w)).getTokens());
    const t0 = Date.now();
    expect(mine.encode('ab'.repeat(50_000)).ids.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('byte-fallback pieces of one character all take that character\'s span, as HF does', () => {
    const vocab = new Map([['<unk>', 0], ['a', 1], ['<0xC3>', 2], ['<0xA9>', 3], ['<0xF0>', 4], ['<0x9F>', 5], ['<0x98>', 6], ['<0x80>', 7]]);
    const bpe = new BPE(vocab, [], { unkToken: '<unk>', byteFallback: true });
    // é is two UTF-8 bytes, 😀 four bytes and two UTF-16 units.
    expect(bpe.tokenize('aé😀a').map((t) => [t.value, t.start, t.end])).toEqual([
      ['a', 0, 1],
      ['<0xC3>', 1, 2],
      ['<0xA9>', 1, 2],
      ['<0xF0>', 2, 4],
      ['<0x9F>', 2, 4],
      ['<0x98>', 2, 4],
      ['<0x80>', 2, 4],
      ['a', 4, 5],
    ]);
  });
});
