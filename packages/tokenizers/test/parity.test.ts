// Parity with HF tokenizers (Rust) through the @anush008/tokenizers binding: ids, tokens, offsets,
// word ids, type ids, sequence ids and overflowing windows must be identical. Runs on the committed
// sample (fixtures/tokenizer-corpus) and, when ../shared/data exists, on as much of the full corpus
// as fits in a time budget (all of it with ATTN_TOKENIZERS_FULL=1; tools/tokenizers/parity.mjs is
// the complete run).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, beforeAll } from 'vitest';
import * as lib from '../src/index';
// @ts-expect-error plain JS helper shared with tools/tokenizers/parity.mjs
import { buildPairs, compareTokenizers } from './parity_harness.mjs';
// @ts-expect-error plain JS helper shared with tools/
import { loadCorpus, findSharedData } from './corpus.mjs';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const fixtures = new URL('../../../fixtures/', import.meta.url).pathname;

type Input = string | [string, string];
interface Result {
  compared: number;
  mismatches: number;
  examples: Array<{ input: Input; diff: string }>;
}
interface Sample {
  sst2: string[];
  conll: string[];
  squadQuestions: string[];
  squadContexts: string[];
  gutenberg: string[];
  squadPairs: Array<[string, string]>;
}

const sample: Sample = JSON.parse(readFileSync(`${fixtures}tokenizer-corpus/sample.json`, 'utf8'));
const adversarial: string[] = JSON.parse(readFileSync(`${fixtures}tokenizer-corpus/adversarial.json`, 'utf8'));
const singles = [...sample.sst2, ...sample.conll, ...sample.squadQuestions, ...sample.squadContexts, ...sample.gutenberg, ...adversarial];
const advPairs: Array<[string, string]> = adversarial.map((s, i) => [s, adversarial[(i * 7 + 3) % adversarial.length]!]);
const sstPairs: Array<[string, string]> = sample.sst2.slice(0, 200).map((s, i, a) => [s, a[(i + 1) % a.length]!]);

let pairs: Record<string, [lib.Tokenizer, unknown]>;
const names = ['bert-base-uncased (tokenizer.json)', 'bert-base-uncased (vocab.txt)', 'bert-base-cased (vocab.txt)', 'gpt2 (vocab.json + merges.txt)', 'roberta-base (vocab.json + merges.txt)'];

function report(name: string, r: Result): void {
  console.log(`[parity] ${name}: compared ${r.compared}, mismatches ${r.mismatches}`);
  for (const e of r.examples) console.log(`  ${JSON.stringify(e.input).slice(0, 120)}\n    ${e.diff}`);
}

describe('parity with HF tokenizers (Rust)', () => {
  beforeAll(async () => {
    pairs = await buildPairs(lib, O, `${fixtures}tokenizers`);
  });

  for (const name of names) {
    it(`${name}: committed sample and adversarial strings, single and pairs with stride`, async () => {
      const [mine, oracle] = pairs[name]!;
      const runs: Array<[string, Input[], lib.TruncationOptions | undefined]> = [
        ['singles', singles, undefined],
        ['adversarial pairs', advPairs, undefined],
        ['adversarial pairs longest_first 12/2', advPairs, { maxLength: 12, stride: 2 }],
        ['squad only_second 64/16', sample.squadPairs, { maxLength: 64, stride: 16, strategy: 'only_second' }],
        ['squad only_second 384/128', sample.squadPairs, { maxLength: 384, stride: 128, strategy: 'only_second' }],
        ['sst2 pairs longest_first 16/2', sstPairs, { maxLength: 16, stride: 2 }],
        ['adversarial left 8/2', adversarial, { maxLength: 8, stride: 2, direction: 'left' }],
      ];
      let compared = 0;
      let mismatches = 0;
      for (const [label, inputs, truncation] of runs) {
        const r: Result = await compareTokenizers(mine, oracle, inputs, { truncation });
        if (r.mismatches) report(`${name} / ${label}`, r);
        compared += r.compared;
        mismatches += r.mismatches;
      }
      console.log(`[parity] ${name}: compared ${compared} inputs, ${mismatches} mismatches`);
      expect(compared).toBeGreaterThan(2500);
      expect(mismatches).toBe(0);
    });
  }

  const dataDir = findSharedData(new URL('../../..', import.meta.url).pathname);
  it.skipIf(!dataDir)('shared corpus (../shared/data), within a time budget', async () => {
    const full = process.env.ATTN_TOKENIZERS_FULL === '1';
    const budgetMs = full ? Infinity : 12_000;
    const corpus = loadCorpus(dataDir, { gutenbergEvery: 1 });
    const all: string[] = [...corpus.sst2, ...corpus.conll, ...corpus.squadQuestions, ...corpus.squadContexts, ...corpus.gutenberg];
    // Interleave so that a partial run still covers every source.
    const order = all.map((_, i) => i).sort((a, b) => ((a * 2654435761) % 4294967296) - ((b * 2654435761) % 4294967296));
    const start = Date.now();
    let compared = 0;
    let mismatches = 0;
    for (let k = 0; k < order.length && Date.now() - start < budgetMs; k += 1000) {
      const chunk = order.slice(k, k + 1000).map((i) => all[i]!);
      for (const name of full ? names : [names[0]!, names[3]!]) {
        const [mine, oracle] = pairs[name]!;
        const r: Result = await compareTokenizers(mine, oracle, chunk);
        if (r.mismatches) report(`${name} / shared corpus`, r);
        compared += r.compared;
        mismatches += r.mismatches;
      }
    }
    console.log(`[parity] shared corpus: compared ${compared} encodings of ${all.length} strings, ${mismatches} mismatches (${full ? 'full' : 'budgeted'})`);
    expect(mismatches).toBe(0);
  });
});
