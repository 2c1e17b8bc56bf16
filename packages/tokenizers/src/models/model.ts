import type { Token } from '../token';

/** A tokenization model: turns one pre-tokenized word into tokens with offsets in the word's units. */
export interface Model {
  /** Returned tokens may be shared through a cache: callers must not mutate them. */
  tokenize(word: string): Token[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  getVocabSize(): number;
  getVocab(): Map<string, number>;
  toJSON(): Record<string, unknown>;
}

/** A word → tokens cache that is emptied when it grows past `capacity` (words repeat a lot in text). */
export class WordCache {
  private map = new Map<string, Token[]>();
  constructor(private readonly capacity = 100_000) {}

  get(word: string): Token[] | undefined {
    return this.map.get(word);
  }

  set(word: string, tokens: Token[]): void {
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(word, tokens);
  }

  clear(): void {
    this.map.clear();
  }
}

/** The reverse of a vocabulary: id → token (holes stay undefined). */
export function reverseVocab(vocab: Map<string, number>): string[] {
  const r: string[] = [];
  for (const [t, id] of vocab) r[id] = t;
  return r;
}

/** Vocabulary as a JSON object ordered by id, as HF writes it. */
export function vocabToJSON(vocab: Map<string, number>): Record<string, number> {
  const entries = [...vocab].sort((a, b) => a[1] - b[1]);
  const o: Record<string, number> = {};
  for (const [t, id] of entries) o[t] = id;
  return o;
}
