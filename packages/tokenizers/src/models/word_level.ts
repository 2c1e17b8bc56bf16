import { TokenizerError } from '../errors';
import { asVocab, at, optString, type JsonContext, type JsonObject } from '../json_fields';
import type { Token } from '../token';
import { reverseVocab, vocabToJSON, type Model } from './model';

/** HF WordLevel: each word is one token, or the unknown token. */
export class WordLevel implements Model {
  private readonly vocabR: string[];

  constructor(readonly vocab: Map<string, number>, readonly unkToken = '<unk>') {
    this.vocabR = reverseVocab(vocab);
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): WordLevel {
    return new WordLevel(asVocab(o.vocab, at(ctx, 'vocab')), optString(o, 'unk_token', ctx, '<unk>')!);
  }

  tokenize(word: string): Token[] {
    const id = this.vocab.get(word);
    if (id !== undefined) return [{ id, value: word, start: 0, end: word.length }];
    const unk = this.vocab.get(this.unkToken);
    if (unk === undefined) throw new TokenizerError(`${JSON.stringify(word)} is not in the vocabulary and the unknown token ${JSON.stringify(this.unkToken)} is missing too`, { field: 'model.unk_token' });
    return [{ id: unk, value: this.unkToken, start: 0, end: word.length }];
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
    return { type: 'WordLevel', vocab: vocabToJSON(this.vocab), unk_token: this.unkToken };
  }
}
