import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';
// @ts-expect-error plain JS helper shared with tools/
import { compareTokenizers } from '../../test/parity_harness.mjs';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const fixtures = new URL('../../../../fixtures/', import.meta.url).pathname;
const adversarial: string[] = JSON.parse(readFileSync(`${fixtures}tokenizer-corpus/adversarial.json`, 'utf8'));
const sample = JSON.parse(readFileSync(`${fixtures}tokenizer-corpus/sample.json`, 'utf8')) as { sst2: string[]; conll: string[] };
const texts = [...adversarial, ...sample.sst2.slice(0, 150), ...sample.conll.slice(0, 150)];

// A SentencePiece-like vocabulary made from BERT's: word starts get '▁', scores fall with the id.
const bertVocab = readFileSync(`${fixtures}tokenizers/bert-base-uncased/vocab.txt`, 'utf8').split('\n').filter((t) => t && !t.startsWith('['));
const pieces: Array<[string, number]> = [['<unk>', 0]];
const seen = new Set<string>(['<unk>']);
bertVocab.forEach((t, i) => {
  const p = t.startsWith('##') ? t.slice(2) : `▁${t}`;
  if (!seen.has(p)) {
    seen.add(p);
    // Few digits: serde_json parses numbers of 17+ digits with double rounding (1 ULP off JS).
    pieces.push([p, Math.round((-Math.log(i + 2) - p.length * 0.01) * 1e4) / 1e4]);
  }
});
for (const b of ['<0xF0>', '<0x9F>', '<0x98>', '<0x80>']) pieces.push([b, -20]);

function tokenizerJson(model: object): object {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model,
  };
}

describe('Unigram and WordLevel models match HF', () => {
  for (const [name, model] of [
    ['Unigram', { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false }],
    ['Unigram (byte fallback)', { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: true }],
    ['WordLevel', { type: 'WordLevel', unk_token: '<unk>', vocab: Object.fromEntries(pieces.map(([p], i) => [p, i])) }],
  ] as const) {
    it(name, async () => {
      const json = tokenizerJson(model);
      const mine = Tokenizer.fromJSON(json);
      const oracle = O.Tokenizer.fromString(JSON.stringify(json));
      const r = await compareTokenizers(mine, oracle, texts);
      if (r.mismatches) console.log(r.examples);
      expect(r.compared).toBe(texts.length);
      expect(r.mismatches).toBe(0);
      const ids = mine.encode('Hello wonderful world').ids;
      expect(mine.decode(ids)).toBe(await oracle.decode(ids, false));
    });
  }
});
