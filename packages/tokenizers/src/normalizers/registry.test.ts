import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NormalizedString } from '../normalized_string';
import { normalizerFromJSON } from './registry';

const require = createRequire(import.meta.url);
const O = require('@anush008/tokenizers');
const adversarial: string[] = JSON.parse(readFileSync(new URL('../../../../fixtures/tokenizer-corpus/adversarial.json', import.meta.url), 'utf8'));
const texts = [...adversarial, 'Héllo WÖRLD', 'ΟΔΟΣ', 'İIıi', 'ﬁ ① ㎏ Å'].map((s) => (s as unknown as { toWellFormed(): string }).toWellFormed());

const cases: Array<[string, object, unknown]> = [
  ['BertNormalizer (uncased)', { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true }, O.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true })],
  ['BertNormalizer (cased)', { type: 'BertNormalizer', lowercase: false, strip_accents: false }, O.bertNormalizer({ stripAccents: false, lowercase: false })],
  ['BertNormalizer (strip only)', { type: 'BertNormalizer', clean_text: false, handle_chinese_chars: false, strip_accents: true, lowercase: false }, O.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false })],
  ['NFD', { type: 'NFD' }, O.nfdNormalizer()],
  ['NFKD', { type: 'NFKD' }, O.nfkdNormalizer()],
  ['NFC', { type: 'NFC' }, O.nfcNormalizer()],
  ['NFKC', { type: 'NFKC' }, O.nfkcNormalizer()],
  ['Lowercase', { type: 'Lowercase' }, O.lowercase()],
  ['StripAccents', { type: 'StripAccents' }, O.stripAccentsNormalizer()],
  ['Strip', { type: 'Strip', strip_left: true, strip_right: true }, O.stripNormalizer(true, true)],
  ['Replace', { type: 'Replace', pattern: { String: 'a' }, content: 'AA' }, O.replace('a', 'AA')],
  ['Prepend', { type: 'Prepend', prepend: '▁' }, O.prependNormalizer('▁')],
  ['Sequence', { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }] }, O.sequenceNormalizer([O.nfdNormalizer(), O.stripAccentsNormalizer(), O.lowercase()])],
];

describe('normalizers match HF on the adversarial strings', () => {
  for (const [name, json, oracle] of cases) {
    it(name, () => {
      const n = normalizerFromJSON(json, { file: 'test', path: 'normalizer' })!;
      for (const t of texts) {
        const ns = new NormalizedString(t);
        n.normalize(ns);
        expect(ns.text, JSON.stringify(t)).toBe((oracle as { normalizeString(s: string): string }).normalizeString(t));
        expect(ns.starts === null || ns.starts.length === ns.text.length).toBe(true);
      }
      expect(normalizerFromJSON(n.toJSON(), { file: 'test', path: '' })!.toJSON()).toEqual(n.toJSON());
    });
  }
});
