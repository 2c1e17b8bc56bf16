import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';

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
});
