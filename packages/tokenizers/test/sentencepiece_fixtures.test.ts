// attn against HF tokenizers (Python, 0.23.2) on the two SentencePiece-style tokenizers of the shared
// data: llama-style-bpe (BPE with byte fallback, ▁ spaces, <s> prefix) and albert-style-unigram
// (Unigram after quotes/NFKC/lowercase, Metaspace). The expected values were written by
// tools/tokenizers/make-sentencepiece-fixtures.mjs; every field of every case must match.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer, type Encoding } from '../src/index';

const fixtures = new URL('../../../fixtures/', import.meta.url).pathname;

interface Case {
  input?: string;
  pair?: [string, string];
  ids: number[];
  tokens?: string[];
  /** Flat [start, end, start, end, …] in UTF-16 code units. */
  offsets: number[];
  /** One character per token: n none, . same word as before, + next word, (k) word k. */
  wordIds: string;
  typeIds?: number[];
  decode: string;
  decodeWithSpecial?: string;
}

/** The fixture's compact word-id text for an encoding (see hf_encode.py). */
function wordIdsText(wordIds: Array<number | null>): string {
  let prev: number | null = null;
  let out = '';
  for (const w of wordIds) {
    if (w === null) out += 'n';
    else if (prev !== null && w === prev) out += '.';
    else if (prev !== null && w === prev + 1) out += '+';
    else out += `(${w})`;
    if (w !== null) prev = w;
  }
  return out;
}

/** id → token straight from tokenizer.json (not through attn), for the tokens HF reports. */
function vocabOf(file: string): Map<number, string> {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const v = new Map<number, string>();
  if (Array.isArray(j.model.vocab)) (j.model.vocab as Array<[string, number]>).forEach(([p], i) => v.set(i, p));
  else for (const [p, i] of Object.entries(j.model.vocab as Record<string, number>)) v.set(i, p);
  for (const a of j.added_tokens as Array<{ id: number; content: string }>) v.set(a.id, a.content);
  return v;
}

function diff(tk: Tokenizer, vocab: Map<number, string>, c: Case): string | null {
  const enc: Encoding = c.pair ? tk.encode(c.pair[0], c.pair[1]) : tk.encode(c.input!);
  const expected: Array<[string, unknown, unknown]> = [
    ['ids', enc.ids, c.ids],
    ['tokens', enc.tokens, c.tokens ?? c.ids.map((id) => vocab.get(id))],
    ['offsets', enc.offsets.flat(), c.offsets],
    ['wordIds', wordIdsText(enc.wordIds), c.wordIds],
    ['decode', tk.decode(c.ids, { skipSpecialTokens: true }), c.decode],
  ];
  if (c.typeIds) expected.push(['typeIds', enc.typeIds, c.typeIds]);
  if (c.decodeWithSpecial !== undefined) expected.push(['decodeWithSpecial', tk.decode(c.ids), c.decodeWithSpecial]);
  for (const [field, mine, theirs] of expected) {
    const x = JSON.stringify(mine);
    const y = JSON.stringify(theirs);
    if (x !== y) return `${field}: attn ${x.slice(0, 300)}\n      HF   ${y.slice(0, 300)}`;
  }
  return null;
}

describe.each(['llama-style-bpe', 'albert-style-unigram'])('%s: HF tokenizers fixture', (name) => {
  const file = `${fixtures}tokenizers/${name}/tokenizer.json`;
  const fixture: { tokenizersVersion: string; cases: Case[] } = JSON.parse(readFileSync(`${fixtures}tokenizer-corpus/hf-${name}.json`, 'utf8'));

  it('ids, tokens, offsets, word ids, type ids and decodes match on every case', async () => {
    const tk = await Tokenizer.fromFile(file);
    const vocab = vocabOf(file);
    const bad: string[] = [];
    for (const c of fixture.cases) {
      const d = diff(tk, vocab, c);
      if (d) bad.push(`${JSON.stringify(c.input ?? c.pair).slice(0, 120)}\n      ${d}`);
    }
    console.log(`[${name}] compared ${fixture.cases.length} cases with HF tokenizers ${fixture.tokenizersVersion}: ${bad.length} mismatches`);
    for (const b of bad.slice(0, 8)) console.log(`  ${b}`);
    expect(fixture.cases.length).toBeGreaterThan(2500);
    expect(bad.length).toBe(0);
  });
});
