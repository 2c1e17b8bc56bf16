import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenizerError } from './errors';
import { Tokenizer } from './tokenizer';
import { tokenizerFromVocabText } from './from_vocab_text';
import { tokenizerFromBPEText } from './from_bpe_text';

const small = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [{ id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: null,
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: { '[UNK]': 0, hello: 1, '##s': 2 } },
};

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('malformed files raise TokenizerError naming the file and the field', () => {
  it('tokenizer.json', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...small, model: { ...small.model, vocab: { hello: -1 } } }, 'model.vocab.hello'],
      [{ ...small, model: { ...small.model, type: 'Nope' } }, 'model.type'],
      [{ ...small, normalizer: { type: 'BertNormalizer', lowercase: 'yes' } }, 'normalizer.lowercase'],
      [{ ...small, pre_tokenizer: { type: 'Split', pattern: { Regex: '(' }, behavior: 'Isolated' } }, 'pre_tokenizer.pattern.Regex'],
      [{ ...small, pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'Sideways' } }, 'pre_tokenizer.behavior'],
      [{ ...small, added_tokens: [{ content: 'x' }] }, 'added_tokens.0.id'],
      [{ ...small, post_processor: { type: 'TemplateProcessing', single: '[CLS] $A', pair: '$A $B', special_tokens: {} } }, 'post_processor.special_tokens'],
      [{ ...small, decoder: { type: 'Sequence', decoders: [{ type: 'Bogus' }] } }, 'decoder.decoders.0.type'],
      [{ ...small, model: undefined }, 'model'],
      [{ ...small, model: { ...small.model, unk_token: '<unk>' } }, 'model.unk_token'],
      [{ ...small, model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } }, 'merges[0]'],
      [{ ...small, model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b c'] } }, 'model.merges.0'],
    ];
    for (const [json, field] of cases) {
      const e = thrown(() => Tokenizer.fromJSON(JSON.stringify(json), 'my/tokenizer.json'));
      expect(e, field).toBeInstanceOf(TokenizerError);
      expect((e as TokenizerError).file).toBe('my/tokenizer.json');
      expect((e as TokenizerError).field).toBe(field);
      expect((e as Error).message).toContain('my/tokenizer.json');
    }
    expect(thrown(() => Tokenizer.fromJSON('{not json', 'bad.json'))).toBeInstanceOf(TokenizerError);
  });

  it('vocab.txt, vocab.json and merges.txt', async () => {
    const e1 = thrown(() => tokenizerFromVocabText('[UNK]\nhello\n\nworld\n', {}, 'vocab.txt')) as TokenizerError;
    expect([e1.file, e1.field]).toEqual(['vocab.txt', 'line 3']);
    const e2 = thrown(() => tokenizerFromVocabText('[UNK]\nhello\nhello\n', {}, 'vocab.txt')) as TokenizerError;
    expect(e2.field).toBe('line 3');
    expect(e2.message).toContain('line 2');
    expect((thrown(() => tokenizerFromVocabText('a\nb\n', {}, 'v.txt')) as TokenizerError).field).toBe('unk_token');
    expect((thrown(() => tokenizerFromVocabText('', {}, 'v.txt')) as TokenizerError).field).toBe('line 1');
    const e3 = thrown(() => tokenizerFromBPEText('{"a": 0, "b": 1, "ab": 2}', '#version: 0.2\na b\nab\n', {}, 'vocab.json', 'merges.txt')) as TokenizerError;
    expect([e3.file, e3.field]).toEqual(['merges.txt', 'line 3']);
    const e4 = thrown(() => tokenizerFromBPEText('{"a": "zero"}', 'a b\n', {}, 'vocab.json', 'merges.txt')) as TokenizerError;
    expect([e4.file, e4.field]).toEqual(['vocab.json', 'a']);
    const e5 = thrown(() => tokenizerFromBPEText('{"a": 0, "b": 1}', 'a b\n', {}, 'vocab.json', 'merges.txt')) as TokenizerError;
    expect([e5.file, e5.field]).toEqual(['merges.txt', 'merges[0]']);
    await expect(Tokenizer.fromFile('/nonexistent/tokenizer.json')).rejects.toBeInstanceOf(TokenizerError);
  });

  it('fuzz: any mutation of a valid tokenizer.json loads or raises TokenizerError, never anything else', () => {
    const base = JSON.parse(readFileSync(new URL('../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json', import.meta.url), 'utf8'));
    base.model.vocab = Object.fromEntries(Object.entries(base.model.vocab as Record<string, number>).filter(([, id]) => id < 200));
    const paths = ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder', 'model', 'added_tokens', 'truncation', 'padding'];
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }), fc.constant(-1));
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.option(fc.string({ maxLength: 12 }), { nil: undefined }), junk, (top, sub, value) => {
        const j = structuredClone(base);
        if (sub === undefined || typeof j[top] !== 'object' || j[top] === null) j[top] = value;
        else j[top][sub] = value;
        try {
          const tk = Tokenizer.fromJSON(j, 'fuzz.json');
          tk.encode('Hello world, [MASK] unaffable!', 'pair');
        } catch (e) {
          if (!(e instanceof TokenizerError)) throw e;
          expect(e.file).toBe('fuzz.json');
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: 42 },
    );
  });

  it('fuzz: arbitrary vocab.txt / merges.txt content loads or raises TokenizerError', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 20 }), (lines) => {
        try {
          tokenizerFromVocabText(['[UNK]', ...lines].join('\n'), {}, 'v.txt').encode('ab cd');
        } catch (e) {
          if (!(e instanceof TokenizerError)) throw e;
        }
        try {
          const chars = [...new Set(lines.join('').replace(/\s/g, ''))];
          const vocab = Object.fromEntries(chars.map((c, i) => [c, i]));
          tokenizerFromBPEText(JSON.stringify(vocab), lines.join('\n'), {}, 'vocab.json', 'merges.txt').encode('ab cd');
        } catch (e) {
          if (!(e instanceof TokenizerError)) throw e;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: 7 },
    );
  });
});
