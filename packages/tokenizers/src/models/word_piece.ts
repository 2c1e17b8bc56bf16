import { TokenizerError } from '../errors';
import { asVocab, at, optInt, optString, type JsonContext, type JsonObject } from '../json_fields';
import type { Token } from '../token';
import { reverseVocab, vocabToJSON, WordCache, type Model } from './model';

export interface WordPieceOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

/**
 * HF WordPiece: greedy longest-match-first over the word, later pieces carrying the `##` prefix; a
 * word that cannot be covered (or is longer than max_input_chars_per_word characters) is one [UNK].
 */
export class WordPiece implements Model {
  readonly vocab: Map<string, number>;
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly vocabR: string[];
  private readonly cache = new WordCache();

  constructor(vocab: Map<string, number>, opts: WordPieceOptions = {}) {
    this.vocab = vocab;
    this.vocabR = reverseVocab(vocab);
    this.unkToken = opts.unkToken ?? '[UNK]';
    this.continuingSubwordPrefix = opts.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = opts.maxInputCharsPerWord ?? 100;
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): WordPiece {
    const vocab = asVocab(o.vocab, at(ctx, 'vocab'));
    const unkToken = optString(o, 'unk_token', ctx, '[UNK]')!;
    if (!vocab.has(unkToken)) {
      throw new TokenizerError(`the unknown token ${JSON.stringify(unkToken)} is not in model.vocab; WordPiece needs it for words it cannot cover`, { file: ctx.file, field: at(ctx, 'unk_token').path });
    }
    return new WordPiece(vocab, {
      unkToken,
      continuingSubwordPrefix: optString(o, 'continuing_subword_prefix', ctx, '##')!,
      maxInputCharsPerWord: optInt(o, 'max_input_chars_per_word', ctx, 100)!,
    });
  }

  tokenize(word: string): Token[] {
    let r = this.cache.get(word);
    if (r === undefined) {
      r = this.compute(word);
      this.cache.set(word, r);
    }
    return r;
  }

  private unk(word: string): Token[] {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined) throw new TokenizerError(`the unknown token ${JSON.stringify(this.unkToken)} is not in the vocabulary, and ${JSON.stringify(word)} needs it`, { field: 'model.unk_token' });
    return [{ id, value: this.unkToken, start: 0, end: word.length }];
  }

  private compute(word: string): Token[] {
    let nChars = word.length;
    if (nChars > this.maxInputCharsPerWord) {
      // Count code points only when the unit count is over the limit.
      nChars = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && word.charCodeAt(i - 1) >= 0xd800 && word.charCodeAt(i - 1) <= 0xdbff)) nChars++;
      }
      if (nChars > this.maxInputCharsPerWord) return this.unk(word);
    }
    const vocab = this.vocab;
    const prefix = this.continuingSubwordPrefix;
    const out: Token[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found = -1;
      let value = '';
      while (start < end) {
        const sub = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        const id = vocab.get(sub);
        if (id !== undefined) {
          found = id;
          value = sub;
          break;
        }
        const c = word.charCodeAt(end - 1);
        end -= c >= 0xdc00 && c <= 0xdfff && end - 2 >= start && word.charCodeAt(end - 2) >= 0xd800 && word.charCodeAt(end - 2) <= 0xdbff ? 2 : 1;
      }
      if (found < 0) return this.unk(word);
      out.push({ id: found, value, start, end });
      start = end;
    }
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocabR[id];
  }

  getVocabSize(): number {
    return this.vocab.size;
  }

  getVocab(): Map<string, number> {
    return this.vocab;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'WordPiece',
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      max_input_chars_per_word: this.maxInputCharsPerWord,
      vocab: vocabToJSON(this.vocab),
    };
  }
}
