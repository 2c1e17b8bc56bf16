import { describe, expect, it } from 'vitest';
import { Tokenizer, registerNormalizer, registerPreTokenizer, registerModel, registerPostProcessor, registerDecoder, normalizerRegistry } from './index';

describe('registering tokenizer stages', () => {
  it('a new normalizer type is one call and lands in the registry tokenizer.json is read through', () => {
    registerNormalizer('AttnTestUpper', () => ({ normalize: (s: unknown) => s, toJSON: () => ({ type: 'AttnTestUpper' }) }) as never);
    expect(normalizerRegistry['AttnTestUpper']).toBeDefined();
  });

  it('every registry refuses a type that is already registered', () => {
    const f = (() => null) as never;
    expect(() => registerNormalizer('BertNormalizer', f)).toThrow(/normalizer of type "BertNormalizer" is already registered/);
    expect(() => registerPreTokenizer('Whitespace', f)).toThrow(/already registered/);
    expect(() => registerModel('WordPiece', f)).toThrow(/already registered/);
    expect(() => registerPostProcessor('BertProcessing', f)).toThrow(/already registered/);
    expect(() => registerDecoder('WordPiece', f)).toThrow(/already registered/);
    expect(Tokenizer).toBeDefined();
  });
});
