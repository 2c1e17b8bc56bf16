// Limits against hostile tokenizer files: JSON nested deep enough to overflow a recursive
// reader, a huge vocab.txt line, a vocabulary with millions of entries. Each must give a
// TokenizerError or a working tokenizer quickly, never a RangeError (stack overflow) or a hang.
// (Random mutations of tokenizer.json / vocab.txt / merges.txt are fuzzed in errors.test.ts.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer, TokenizerError } from './index';

const fixture = join(__dirname, '..', '..', '..', 'fixtures', 'tokenizers', 'bert-base-uncased', 'tokenizer.json');

function outcome(f: () => unknown): 'ok' | 'TokenizerError' {
  const t0 = performance.now();
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof TokenizerError)) throw e;
    return 'TokenizerError';
  } finally {
    expect(performance.now() - t0).toBeLessThan(5000);
  }
}

describe('hostile tokenizer.json', () => {
  const valid = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;

  it.each([1_000, 100_000])('normalizer Sequence nested %i deep: TokenizerError, not a stack overflow', (depth) => {
    let n: unknown = { type: 'Lowercase' };
    for (let i = 0; i < depth; i++) n = { type: 'Sequence', normalizers: [n] };
    expect(outcome(() => Tokenizer.fromJSON({ ...valid, normalizer: n }, 'deep.json'))).toBe('TokenizerError');
  });

  it('100,000-deep nested unknown field as text: TokenizerError or a tokenizer, never a crash', () => {
    const text = JSON.stringify(valid).slice(0, -1) + ',"x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expect(['ok', 'TokenizerError']).toContain(outcome(() => Tokenizer.fromJSON(text, 'deep.json')));
  });
});
