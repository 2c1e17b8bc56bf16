import { WordPieceDecoder } from './decoders/word_piece';
import { TokenizerError } from './errors';
import { MaxHeap } from './max_heap';
import { WordPiece } from './models/word_piece';
import { NormalizedString } from './normalized_string';
import { BertNormalizer } from './normalizers/bert_normalizer';
import { BertProcessing } from './post_processors/bert_processing';
import { PreTokenizedString } from './pre_tokenized_string';
import { BertPreTokenizer } from './pre_tokenizers/bert_pre_tokenizer';
import { Tokenizer } from './tokenizer';

export interface TrainWordPieceOptions {
  /** Target vocabulary size, special tokens and alphabet included. */
  vocabSize: number;
  /** Merges of pairs seen fewer times than this stop training (HF default 0). */
  minFrequency?: number;
  /** Added first, ids 0.. in this order. Default [PAD] [UNK] [CLS] [SEP] [MASK]. */
  specialTokens?: string[];
  /** Keep only the most frequent characters in the alphabet. */
  limitAlphabet?: number;
  /** Characters always kept in the alphabet. */
  initialAlphabet?: string[];
  continuingSubwordPrefix?: string;
  unkToken?: string;
  /** BertNormalizer settings (default: lowercase, accents stripped, like bert-base-uncased). */
  lowercase?: boolean;
  stripAccents?: boolean;
  cleanText?: boolean;
  handleChineseChars?: boolean;
}

const pairKey = (a: number, b: number): number => a * 67108864 + b;

interface QueueEntry {
  a: number;
  b: number;
  count: number;
  pos: Set<number>;
}

/** Merges every (a, b) of `word` into `rep`; returns the pair count changes, as HF's Word::merge. */
function mergeWord(word: number[], a: number, b: number, rep: number, changes: Array<[number, number, number]>): void {
  let i = 0;
  while (i < word.length) {
    if (word[i] === a && i + 1 < word.length && word[i + 1] === b) {
      if (i > 0) {
        changes.push([word[i - 1]!, a, -1]);
        changes.push([word[i - 1]!, rep, 1]);
      }
      word.splice(i, 2, rep);
      if (i < word.length - 1) {
        changes.push([b, word[i + 1]!, -1]);
        changes.push([rep, word[i + 1]!, 1]);
      }
    }
    i++;
  }
}

/**
 * Trains a WordPiece vocabulary as HF's WordPieceTrainer does: BPE merges over the normalized,
 * pre-tokenized words (later pieces carrying the "##" prefix), the resulting vocabulary read as
 * WordPiece. Words are visited in order of first appearance, so training is deterministic (HF's
 * hash-map order is not: ids of equally frequent merges may differ from a Rust run).
 */
export async function trainWordPiece(texts: Iterable<string> | AsyncIterable<string>, opts: TrainWordPieceOptions): Promise<Tokenizer> {
  if (!Number.isInteger(opts.vocabSize) || opts.vocabSize <= 0) throw new TokenizerError(`vocabSize must be a positive integer, got ${opts.vocabSize}`, { field: 'vocabSize' });
  const prefix = opts.continuingSubwordPrefix ?? '##';
  const minFrequency = opts.minFrequency ?? 0;
  const specialTokens = opts.specialTokens ?? ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const unk = opts.unkToken ?? '[UNK]';
  const lowercase = opts.lowercase ?? true;
  const normalizer = new BertNormalizer({ lowercase, stripAccents: opts.stripAccents ?? null, cleanText: opts.cleanText ?? true, handleChineseChars: opts.handleChineseChars ?? true });
  const pre = new BertPreTokenizer();

  // 1. Word counts.
  const counts = new Map<string, number>();
  for await (const text of texts as AsyncIterable<string>) {
    const ns = new NormalizedString(text);
    normalizer.normalize(ns);
    const pts = new PreTokenizedString([{ ns, tokens: null }]);
    pre.preTokenize(pts);
    for (const sp of pts.splits) counts.set(sp.ns.text, (counts.get(sp.ns.text) ?? 0) + 1);
  }

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
  // 2. Special tokens, then the alphabet (most frequent characters when limited), by code point.
  for (const t of specialTokens) addToken(t);
  const alphabet = new Map<string, number>();
  for (const [w, c] of counts) for (const ch of w) alphabet.set(ch, (alphabet.get(ch) ?? 0) + c);
  for (const ch of opts.initialAlphabet ?? []) alphabet.set(ch, Number.MAX_SAFE_INTEGER);
  let kept = [...alphabet];
  const limit = opts.limitAlphabet;
  if (limit !== undefined && kept.length > limit) {
    kept.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? 1 : -1));
    kept = kept.slice(kept.length - limit);
  }
  kept.sort((x, y) => x[0].codePointAt(0)! - y[0].codePointAt(0)!);
  for (const [ch] of kept) addToken(ch);
  const inAlphabet = new Set(kept.map(([ch]) => ch));

  // 3. Words as symbol ids ("##" on every character but the first).
  const words: number[][] = [];
  const wordCounts: number[] = [];
  for (const [w, c] of counts) {
    const syms: number[] = [];
    let first = true;
    for (const ch of w) {
      if (inAlphabet.has(ch)) syms.push(addToken(first ? ch : prefix + ch));
      first = false;
    }
    words.push(syms);
    wordCounts.push(c);
  }

  // 4. Pair counts and where each pair occurs.
  const pairCounts = new Map<number, number>();
  let whereToUpdate = new Map<number, Set<number>>();
  words.forEach((w, i) => {
    for (let k = 0; k + 1 < w.length; k++) {
      const key = pairKey(w[k]!, w[k + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + wordCounts[i]!);
      let s = whereToUpdate.get(key);
      if (!s) whereToUpdate.set(key, (s = new Set()));
      s.add(i);
    }
  });
  // Highest count first; on ties the smallest (a, b) pair, as HF's Merge ordering.
  const queue = new MaxHeap<QueueEntry>((x, y) => (x.count !== y.count ? x.count > y.count : x.a !== y.a ? x.a < y.a : x.b < y.b));
  const flush = (): void => {
    for (const [key, pos] of whereToUpdate) {
      const count = pairCounts.get(key) ?? 0;
      if (count > 0) queue.push({ a: Math.floor(key / 67108864), b: key % 67108864, count, pos });
    }
    whereToUpdate = new Map();
  };
  flush();

  // 5. Merges.
  while (wordToId.size < opts.vocabSize && queue.size > 0) {
    const top = queue.pop()!;
    const current = pairCounts.get(pairKey(top.a, top.b)) ?? 0;
    if (top.count !== current) {
      top.count = current;
      queue.push(top);
      continue;
    }
    if (top.count < 1 || minFrequency > top.count) break;
    let partB = idToWord[top.b]!;
    if (partB.startsWith(prefix)) partB = partB.slice(prefix.length);
    const newId = addToken(idToWord[top.a]! + partB);
    const changes: Array<[number, number, number]> = [];
    for (const i of top.pos) {
      const before = changes.length;
      mergeWord(words[i]!, top.a, top.b, newId, changes);
      for (let c = before; c < changes.length; c++) {
        const [x, y, delta] = changes[c]!;
        const key = pairKey(x, y);
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta * wordCounts[i]!);
        if (delta > 0) {
          let s = whereToUpdate.get(key);
          if (!s) whereToUpdate.set(key, (s = new Set()));
          s.add(i);
        }
      }
    }
    flush();
  }

  const tk = new Tokenizer({
    model: new WordPiece(wordToId, { unkToken: unk, continuingSubwordPrefix: prefix }),
    normalizer,
    preTokenizer: pre,
    postProcessor: wordToId.has('[CLS]') && wordToId.has('[SEP]') ? new BertProcessing(['[SEP]', wordToId.get('[SEP]')!], ['[CLS]', wordToId.get('[CLS]')!]) : null,
    decoder: new WordPieceDecoder(prefix, true),
  });
  tk.addSpecialTokens(specialTokens);
  return tk;
}
