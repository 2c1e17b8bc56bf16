import { TokenizerError } from '../errors';
import { MaxHeap } from '../max_heap';
import { BPE } from '../models/bpe';
import type { Model } from '../models/model';
import { TrainingProgress } from './training_progress';
import type { Trainer, TrainResult } from './trainer';

/** HF BpeTrainer's options, camel-cased; the defaults are HF's. */
export interface BpeTrainerOptions {
  /** Target vocabulary size, special tokens and alphabet included. Default 30000. */
  vocabSize?: number;
  /** Pairs seen fewer times than this are not merged (training stops there). Default 0. */
  minFrequency?: number;
  /** Progress lines on stderr (only when it is a terminal). Default true. */
  showProgress?: boolean;
  /** Vocabulary entries 0.. in this order; Tokenizer.train also adds them as special tokens. */
  specialTokens?: string[];
  /** Keep only the most frequent characters (initialAlphabet counts as most frequent). */
  limitAlphabet?: number;
  /** Characters always in the alphabet, seen or not; of a longer string only the first character counts. */
  initialAlphabet?: string[];
  /** Put before every symbol that does not start a word (WordPiece's "##"). */
  continuingSubwordPrefix?: string;
  /** Put after every symbol that ends a word (e.g. "</w>"). */
  endOfWordSuffix?: string;
  /** No token longer than this many characters (prefix and suffix not counted). */
  maxTokenLength?: number;
}

/** What BPE training learned: the vocabulary (id order) and the merges (rank order). */
export interface LearnedBpe {
  vocab: Map<string, number>;
  merges: Array<[string, string]>;
}

const KEY = 67108864; // 2^26: ids stay below it, so a pair of ids packs into one exact number
const pairKey = (a: number, b: number): number => a * KEY + b;

interface QueueEntry {
  /** The pair's index. */
  p: number;
  a: number;
  b: number;
  count: number;
  /** The words it occurs in, each once. */
  pos: number[];
}

/** A word being merged: symbol ids and each symbol's length in characters (for maxTokenLength). */
interface Word {
  ids: number[];
  lens: number[];
}

/**
 * Merges every (a, b) of `w` into `rep`, left to right, and reports the pair count changes
 * [a, b, ±1], as HF's Word::merge: a new pair is not counted when its token would be longer than
 * `maxLength` characters.
 */
function mergeWord(w: Word, a: number, b: number, rep: number, maxLength: number, changes: number[]): void {
  const { ids, lens } = w;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== a || i + 1 >= ids.length || ids[i + 1] !== b) continue;
    const len = lens[i]! + lens[i + 1]!;
    if (i > 0) {
      changes.push(ids[i - 1]!, a, -1);
      if (lens[i - 1]! + len < maxLength) changes.push(ids[i - 1]!, rep, 1);
    }
    ids.splice(i, 2, rep);
    lens.splice(i, 2, len);
    if (i < ids.length - 1) {
      changes.push(b, ids[i + 1]!, -1);
      if (lens[i + 1]! + len < maxLength) changes.push(rep, ids[i + 1]!, 1);
    }
  }
}

/**
 * Trains a BPE vocabulary as HF tokenizers' BpeTrainer does (tokenizers/src/models/bpe/trainer.rs),
 * so that the vocabulary and the merges come out the same, in the same order:
 * 1. special tokens get ids 0.. in their order;
 * 2. the alphabet follows, by code point (the `limitAlphabet` most frequent characters);
 * 3. the most frequent pair is merged, again and again, ties going to the pair of smaller ids
 *    (first id, then second), until the vocabulary is full or no pair is frequent enough.
 * HF reads words from a hash map, so where the ids of prefixed or suffixed characters decide a tie
 * its order varies from run to run; here words are read in order of first appearance.
 */
export class BpeTrainer implements Trainer {
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly showProgress: boolean;
  readonly specialTokens: string[];
  readonly limitAlphabet: number | null;
  readonly initialAlphabet: string[];
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly maxTokenLength: number | null;

  constructor(opts: BpeTrainerOptions = {}) {
    const count = (field: keyof BpeTrainerOptions, v: number | undefined, min: number): void => {
      if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new TokenizerError(`${field} must be an integer >= ${min}, got ${v}`, { field: `BpeTrainer.${field}` });
    };
    count('vocabSize', opts.vocabSize, 0);
    count('minFrequency', opts.minFrequency, 0);
    count('limitAlphabet', opts.limitAlphabet, 0);
    count('maxTokenLength', opts.maxTokenLength, 0);
    this.vocabSize = opts.vocabSize ?? 30000;
    this.minFrequency = opts.minFrequency ?? 0;
    this.showProgress = opts.showProgress ?? true;
    this.specialTokens = [...(opts.specialTokens ?? [])];
    this.limitAlphabet = opts.limitAlphabet ?? null;
    this.initialAlphabet = (opts.initialAlphabet ?? []).filter((s) => s.length > 0).map((s) => String.fromCodePoint(s.codePointAt(0)!));
    this.continuingSubwordPrefix = opts.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = opts.endOfWordSuffix ?? null;
    this.maxTokenLength = opts.maxTokenLength ?? null;
  }

  /** Trains `model`'s replacement: a BPE with its unk/byte-fallback settings and the learned vocabulary. */
  train(wordCounts: Map<string, number>, model: Model): TrainResult {
    if (!(model instanceof BPE)) {
      throw new TokenizerError(`BpeTrainer trains a BPE model, but the tokenizer's model is ${model.constructor.name}; build the tokenizer with new BPE(new Map(), [])`, { field: 'model' });
    }
    const { vocab, merges } = this.learn(wordCounts);
    const trained = new BPE(vocab, merges, {
      unkToken: model.unkToken,
      continuingSubwordPrefix: this.continuingSubwordPrefix,
      endOfWordSuffix: this.endOfWordSuffix,
      fuseUnk: model.fuseUnk,
      byteFallback: model.byteFallback,
      ignoreMerges: model.ignoreMerges,
    });
    return { model: trained, specialTokens: [...this.specialTokens] };
  }

  /** The vocabulary and merges HF's BpeTrainer learns from these word counts. */
  learn(wordCounts: Map<string, number>): LearnedBpe {
    const progress = new TrainingProgress(this.showProgress);
    const prefix = this.continuingSubwordPrefix;
    const suffix = this.endOfWordSuffix;
    const maxLength = this.maxTokenLength ?? Number.MAX_SAFE_INTEGER;
    const wordToId = new Map<string, number>();
    const idToWord: string[] = [];
    const addToken = (t: string): number => {
      let id = wordToId.get(t);
      if (id === undefined) {
        id = idToWord.length;
        idToWord.push(t);
        wordToId.set(t, id);
      }
      return id;
    };

    // 1. Special tokens.
    for (const t of this.specialTokens) addToken(t);

    // 2. The alphabet: every character seen (weighted by its words' counts) and the initial ones.
    const alphabet = new Map<string, number>();
    for (const [w, c] of wordCounts) for (const ch of w) alphabet.set(ch, (alphabet.get(ch) ?? 0) + c);
    for (const ch of this.initialAlphabet) alphabet.set(ch, Number.MAX_SAFE_INTEGER);
    let kept = [...alphabet];
    if (this.limitAlphabet !== null && kept.length > this.limitAlphabet) {
      // The least frequent go (HF's unstable sort leaves ties unordered; here the larger code point goes first).
      kept.sort((x, y) => x[1] - y[1] || y[0].codePointAt(0)! - x[0].codePointAt(0)!);
      kept = kept.slice(kept.length - this.limitAlphabet);
    }
    kept.sort((x, y) => x[0].codePointAt(0)! - y[0].codePointAt(0)!);
    for (const [ch] of kept) addToken(ch);

    // 3. Words as symbol ids; characters outside the alphabet are dropped.
    progress.stage('Tokenize words', wordCounts.size);
    const words: Word[] = [];
    const counts: number[] = [];
    for (const [w, c] of wordCounts) {
      const chars = Array.from(w);
      const ids: number[] = [];
      chars.forEach((ch, k) => {
        if (!wordToId.has(ch)) return;
        let s = ch;
        if (k > 0 && prefix !== null) s = prefix + s;
        if (k === chars.length - 1 && suffix !== null) s += suffix;
        ids.push(addToken(s));
      });
      words.push({ ids, lens: new Array<number>(ids.length).fill(1) });
      counts.push(c);
      progress.tick();
    }

    // 4. Pair counts and the words each pair occurs in. Pairs get small indices (one map lookup
    // per pair occurrence, then arrays); a word's list of positions holds each word once (a word's
    // changes come together, so checking the last entry is enough), as HF's sets do.
    progress.stage('Count pairs', words.length);
    const pairIndex = new Map<number, number>();
    const pairA: number[] = [];
    const pairB: number[] = [];
    const pairCount: number[] = [];
    const indexOf = (a: number, b: number): number => {
      const key = pairKey(a, b);
      let p = pairIndex.get(key);
      if (p === undefined) {
        p = pairA.length;
        pairIndex.set(key, p);
        pairA.push(a);
        pairB.push(b);
        pairCount.push(0);
      }
      return p;
    };
    // Pairs touched since the last flush, in first-touch order, and the words they gained.
    let touched: number[] = [];
    const where: Array<number[] | undefined> = [];
    const addWhere = (p: number, i: number): void => {
      const list = where[p];
      if (list === undefined) {
        where[p] = [i];
        touched.push(p);
      } else if (list[list.length - 1] !== i) list.push(i);
    };
    words.forEach(({ ids }, i) => {
      for (let k = 0; k + 1 < ids.length; k++) {
        const p = indexOf(ids[k]!, ids[k + 1]!);
        pairCount[p] = pairCount[p]! + counts[i]!;
        addWhere(p, i);
      }
      progress.tick();
    });
    // Highest count first; on equal counts the smaller pair (a, then b), as HF's Merge ordering.
    const queue = new MaxHeap<QueueEntry>((x, y) => (x.count !== y.count ? x.count > y.count : x.a !== y.a ? x.a < y.a : x.b < y.b));
    const flush = (): void => {
      for (const p of touched) {
        const count = pairCount[p]!;
        if (count > 0) queue.push({ p, a: pairA[p]!, b: pairB[p]!, count, pos: where[p]! });
        where[p] = undefined;
      }
      touched = [];
    };
    flush();

    // 5. Merges. A pair can be merged twice (a stale queue entry with other words); HF then keeps
    // the later rank, which is what `rankOf` records.
    progress.stage('Compute merges', this.vocabSize);
    const rankOf = new Map<number, number>();
    let nMerges = 0;
    const changes: number[] = [];
    while (wordToId.size < this.vocabSize) {
      const top = queue.pop();
      if (top === undefined) break;
      const current = pairCount[top.p]!;
      if (top.count !== current) {
        top.count = current;
        queue.push(top);
        continue;
      }
      if (top.count < 1 || this.minFrequency > top.count) break;
      let partB = idToWord[top.b]!;
      if (prefix !== null && partB.startsWith(prefix)) partB = partB.slice(prefix.length);
      const newId = addToken(idToWord[top.a]! + partB);
      rankOf.delete(top.p);
      rankOf.set(top.p, nMerges++);
      for (const i of top.pos) {
        changes.length = 0;
        mergeWord(words[i]!, top.a, top.b, newId, maxLength, changes);
        const c = counts[i]!;
        for (let k = 0; k < changes.length; k += 3) {
          const p = indexOf(changes[k]!, changes[k + 1]!);
          const delta = changes[k + 2]!;
          pairCount[p] = pairCount[p]! + delta * c;
          if (delta > 0) addWhere(p, i);
        }
      }
      flush();
      progress.tick();
    }
    progress.done();

    // Map insertion order is rank order: a re-merged pair was deleted and set again.
    const merges: Array<[string, string]> = [];
    for (const p of rankOf.keys()) merges.push([idToWord[pairA[p]!]!, idToWord[pairB[p]!]!]);
    return { vocab: wordToId, merges };
  }
}
