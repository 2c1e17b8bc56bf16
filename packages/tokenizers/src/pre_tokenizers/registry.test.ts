import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NormalizedString } from '../normalized_string';
import { PreTokenizedString } from '../pre_tokenized_string';
import { preTokenizerFromJSON } from './registry';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const adversarial: string[] = JSON.parse(readFileSync(new URL('../../../../fixtures/tokenizer-corpus/adversarial.json', import.meta.url), 'utf8'));
const texts = [...adversarial, "Hello, world! It's 2024... $5.00 + x=3 ▁word", 'a  b\tc\n', 'one-two_three'].map((s) => (s as unknown as { toWellFormed(): string }).toWellFormed());

/** UTF-16 offset → code point offset (the oracle counts characters). */
function toCodePoints(s: string, u: number): number {
  return [...s.slice(0, u)].length;
}

const cases: Array<[string, object, unknown]> = [
  ['BertPreTokenizer', { type: 'BertPreTokenizer' }, O.bertPreTokenizer()],
  ['Whitespace', { type: 'Whitespace' }, O.whitespacePreTokenizer()],
  ['WhitespaceSplit', { type: 'WhitespaceSplit' }, O.whitespaceSplitPreTokenizer()],
  ['Punctuation', { type: 'Punctuation', behavior: 'Isolated' }, O.punctuationPreTokenizer('isolated')],
  ['ByteLevel', { type: 'ByteLevel', add_prefix_space: true, use_regex: true }, O.byteLevelPreTokenizer(true, true)],
  ['ByteLevel (no regex)', { type: 'ByteLevel', add_prefix_space: false, use_regex: false }, O.byteLevelPreTokenizer(false, false)],
  ['Metaspace', { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, O.metaspacePreTokenizer('▁', 'always')],
  ['Digits', { type: 'Digits', individual_digits: true }, O.digitsPreTokenizer(true)],
  ['Digits (contiguous)', { type: 'Digits', individual_digits: false }, O.digitsPreTokenizer(false)],
  ['Split (removed)', { type: 'Split', pattern: { String: ' ' }, behavior: 'Removed', invert: false }, O.splitPreTokenizer(' ', 'removed', false)],
  ['Split (merged with next)', { type: 'Split', pattern: { String: '-' }, behavior: 'MergedWithNext', invert: false }, O.splitPreTokenizer('-', 'mergedWithNext', false)],
  ['Split (merged with previous)', { type: 'Split', pattern: { String: '.' }, behavior: 'MergedWithPrevious', invert: false }, O.splitPreTokenizer('.', 'mergedWithPrevious', false)],
  ['Split (contiguous)', { type: 'Split', pattern: { String: 'o' }, behavior: 'Contiguous', invert: false }, O.splitPreTokenizer('o', 'contiguous', false)],
  ['Sequence', { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'Isolated' }] }, O.sequencePreTokenizer([O.whitespaceSplitPreTokenizer(), O.punctuationPreTokenizer('isolated')])],
];

describe('pre-tokenizers match HF (pieces and their character offsets)', () => {
  for (const [name, json, oracle] of cases) {
    it(name, () => {
      const p = preTokenizerFromJSON(json, { file: 'test', path: 'pre_tokenizer' })!;
      for (const t of texts) {
        const pts = new PreTokenizedString([{ ns: new NormalizedString(t), tokens: null }]);
        p.preTokenize(pts);
        const mine = pts.splits.map((s) => {
          const [a, b] = s.ns.convert(0, s.ns.text.length);
          return [s.ns.text, [toCodePoints(t, a), toCodePoints(t, b)]];
        });
        expect(mine, JSON.stringify(t)).toEqual((oracle as { preTokenizeString(s: string): unknown }).preTokenizeString(t));
      }
    });
  }
});
