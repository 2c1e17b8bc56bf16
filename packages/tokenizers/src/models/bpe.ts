import { TokenizerError } from '../errors';
import { asArray, asVocab, at, failJson, optBool, optString, type JsonContext, type JsonObject } from '../json_fields';
import type { Token } from '../token';
import { MaxHeap } from '../max_heap';
import { reverseVocab, vocabToJSON, WordCache, type Model } from './model';

export interface BPEOptions {
  unkToken?: string | null;
  continuingSubwordPrefix?: string | null;
  endOfWordSuffix?: string | null;
  fuseUnk?: boolean;
  byteFallback?: boolean;
  ignoreMerges?: boolean;
  /** Names the merges file in errors. */
  source?: string;
}

// A pair of ids packed into one number key (ids stay far below 2^26).
const pairKey = (a: number, b: number): number => a * 67108864 + b;

/**
 * HF BPE: a word starts as characters (or bytes, for byte-level vocabularies) and the pair with the
 * lowest merge rank is merged (leftmost first) until no pair has a merge; words are cached.
 */
export class BPE implements Model {
  readonly vocab: Map<string, number>;
  readonly merges: Array<[string, string]>;
  readonly unkToken: string | null;
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
  private readonly vocabR: string[];
  /** pair key → rank; `newIds[rank]` is the merged token's id. */
  private readonly ranks = new Map<number, number>();
  private readonly newIds: Int32Array;
  private readonly cache = new WordCache();

  constructor(vocab: Map<string, number>, merges: Array<[string, string]>, opts: BPEOptions = {}) {
    this.vocab = vocab;
    this.vocabR = reverseVocab(vocab);
    this.merges = merges;
    this.unkToken = opts.unkToken ?? null;
    this.continuingSubwordPrefix = opts.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = opts.endOfWordSuffix ?? null;
    this.fuseUnk = opts.fuseUnk ?? false;
    this.byteFallback = opts.byteFallback ?? false;
    this.ignoreMerges = opts.ignoreMerges ?? false;
    this.newIds = new Int32Array(merges.length);
    const prefixLen = this.continuingSubwordPrefix?.length ?? 0;
    const file = opts.source ?? '<inline>';
    merges.forEach(([a, b], i) => {
      const ia = vocab.get(a);
      const ib = vocab.get(b);
      const merged = a + b.slice(prefixLen);
      const im = vocab.get(merged);
      const missing = ia === undefined ? a : ib === undefined ? b : im === undefined ? merged : null;
      if (missing !== null) {
        throw new TokenizerError(`merge ${i} "${a} ${b}" uses ${JSON.stringify(missing)}, which is not in the vocabulary; the merges and vocab files do not belong together`, { file, field: `merges[${i}]` });
      }
      const key = pairKey(ia!, ib!);
      if (!this.ranks.has(key)) this.ranks.set(key, i);
      this.newIds[i] = im!;
    });
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): BPE {
    const mctx = at(ctx, 'merges');
    const merges = asArray(o.merges ?? [], mctx).map((m, i): [string, string] => {
      if (typeof m === 'string') {
        const parts = m.split(' ');
        if (parts.length !== 2) failJson(at(mctx, i), 'a merge "a b" with exactly one space', m);
        return [parts[0]!, parts[1]!];
      }
      if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
      return failJson(at(mctx, i), 'a merge "a b" or ["a", "b"]', m);
    });
    return new BPE(asVocab(o.vocab, at(ctx, 'vocab')), merges, {
      unkToken: optString(o, 'unk_token', ctx, null),
      continuingSubwordPrefix: optString(o, 'continuing_subword_prefix', ctx, null),
      endOfWordSuffix: optString(o, 'end_of_word_suffix', ctx, null),
      fuseUnk: optBool(o, 'fuse_unk', ctx, false),
      byteFallback: optBool(o, 'byte_fallback', ctx, false),
      ignoreMerges: optBool(o, 'ignore_merges', ctx, false),
      source: ctx.file,
    });
  }

  tokenize(word: string): Token[] {
    if (word.length === 0) return [];
    let r = this.cache.get(word);
    if (r === undefined) {
      r = this.compute(word);
      this.cache.set(word, r);
    }
    return r;
  }

  private compute(word: string): Token[] {
    const vocab = this.vocab;
    if (this.ignoreMerges) {
      const id = vocab.get(word);
      if (id !== undefined) return [{ id, value: word, start: 0, end: word.length }];
    }
    // Initial symbols: ids and [start, end) in units of the word. Byte-fallback pieces of one
    // character each span the whole character, so spans are kept rather than lengths.
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let unkId = -1;
    let unkStart = 0;
    let unkEnd = 0;
    const prefix = this.continuingSubwordPrefix;
    const suffix = this.endOfWordSuffix;
    for (let i = 0; i < word.length; ) {
      const c = word.charCodeAt(i);
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < word.length && (word.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      let s = len === 1 ? word[i]! : word.slice(i, i + 2);
      if (i > 0 && prefix !== null) s = prefix + s;
      if (i + len >= word.length && suffix !== null) s = s + suffix;
      const id = vocab.get(s);
      i += len;
      if (id !== undefined) {
        if (unkId >= 0) {
          ids.push(unkId);
          starts.push(unkStart);
          ends.push(unkEnd);
          unkId = -1;
        }
        ids.push(id);
        starts.push(i - len);
        ends.push(i);
        continue;
      }
      if (this.byteFallback) {
        const bytes = new TextEncoder().encode(s);
        const bids = [...bytes].map((b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (bids.every((b) => b !== undefined)) {
          // HF gives each byte piece one byte of the character; every byte maps back to the whole
          // character, so each piece's offsets are the character's span.
          for (const b of bids) {
            ids.push(b!);
            starts.push(i - len);
            ends.push(i);
          }
          continue;
        }
      }
      if (this.unkToken !== null) {
        const uid = vocab.get(this.unkToken);
        if (uid === undefined) throw new TokenizerError(`the unknown token ${JSON.stringify(this.unkToken)} is not in the vocabulary`, { field: 'model.unk_token' });
        if (unkId >= 0 && this.fuseUnk) unkEnd = i;
        else {
          if (unkId >= 0) {
            ids.push(unkId);
            starts.push(unkStart);
            ends.push(unkEnd);
          }
          unkId = uid;
          unkStart = i - len;
          unkEnd = i;
        }
      }
    }
    if (unkId >= 0) {
      ids.push(unkId);
      starts.push(unkStart);
      ends.push(unkEnd);
    }
    if (ids.length > 24) this.mergeLong(ids, starts, ends);
    else this.mergeShort(ids, starts, ends);
    const out: Token[] = [];
    for (let k = 0; k < ids.length; k++) out.push({ id: ids[k]!, value: this.vocabR[ids[k]!]!, start: starts[k]!, end: ends[k]! });
    return out;
  }

  /** Merges the lowest-ranked pair (leftmost on ties) until none is left: the order HF's heap gives. */
  private mergeShort(ids: number[], starts: number[], ends: number[]): void {
    const ranks = this.ranks;
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let k = 0; k + 1 < ids.length; k++) {
        const r = ranks.get(pairKey(ids[k]!, ids[k + 1]!));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = k;
        }
      }
      if (best < 0) return;
      ids[best] = this.newIds[bestRank]!;
      ends[best] = ends[best + 1]!;
      ids.splice(best + 1, 1);
      starts.splice(best + 1, 1);
      ends.splice(best + 1, 1);
    }
  }

  /** The same merges with HF's heap over a linked list of symbols: O(n log n) for very long words. */
  private mergeLong(ids: number[], starts: number[], ends: number[]): void {
    const n = ids.length;
    const ranks = this.ranks;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MaxHeap<[number, number]>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
    const push = (pos: number): void => {
      const nx = next[pos]!;
      if (nx < 0) return;
      const r = ranks.get(pairKey(ids[pos]!, ids[nx]!));
      if (r !== undefined) heap.push([r, pos]);
    };
    for (let i = 0; i + 1 < n; i++) push(i);
    for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
      const [rank, pos] = top;
      const nx = next[pos]!;
      // Stale entry: the symbol was merged away or its pair changed since it was queued.
      if (ids[pos]! < 0 || nx < 0 || ranks.get(pairKey(ids[pos]!, ids[nx]!)) !== rank) continue;
      ids[pos] = this.newIds[rank]!;
      ends[pos] = ends[nx]!;
      ids[nx] = -1;
      next[pos] = next[nx]!;
      if (next[nx]! >= 0) prev[next[nx]!] = pos;
      if (prev[pos]! >= 0) push(prev[pos]!);
      push(pos);
    }
    let w = 0;
    for (let i = 0; i >= 0 && i < n; i = next[i]!) {
      ids[w] = ids[i]!;
      starts[w] = starts[i]!;
      ends[w] = ends[i]!;
      w++;
    }
    ids.length = w;
    starts.length = w;
    ends.length = w;
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
      type: 'BPE',
      dropout: null,
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      end_of_word_suffix: this.endOfWordSuffix,
      fuse_unk: this.fuseUnk,
      byte_fallback: this.byteFallback,
      ignore_merges: this.ignoreMerges,
      vocab: vocabToJSON(this.vocab),
      merges: this.merges.map(([a, b]) => [a, b]),
    };
  }
}
