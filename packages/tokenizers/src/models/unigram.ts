import { TokenizerError } from '../errors';
import { asArray, at, failJson, optBool, optInt, type JsonContext, type JsonObject } from '../json_fields';
import type { Token } from '../token';
import { WordCache, type Model } from './model';

// HF's penalty for an unknown character, below the worst piece's score.
const K_UNK_PENALTY = 10;

/**
 * HF Unigram (SentencePiece): the segmentation of the word that maximizes the sum of piece
 * scores (Viterbi); characters no piece covers become the unknown piece, consecutive ones fused.
 */
export class Unigram implements Model {
  readonly pieces: Array<[string, number]>;
  readonly unkId: number | null;
  readonly byteFallback: boolean;
  private readonly ids = new Map<string, number>();
  private readonly minScore: number;
  private readonly maxLen: number;
  private readonly cache = new WordCache();

  constructor(pieces: Array<[string, number]>, unkId: number | null, byteFallback = false) {
    this.pieces = pieces;
    this.unkId = unkId;
    this.byteFallback = byteFallback;
    let min = Infinity;
    let maxLen = 1;
    pieces.forEach(([p, s], i) => {
      this.ids.set(p, i);
      if (s < min) min = s;
      if (p.length > maxLen) maxLen = p.length;
    });
    this.minScore = min;
    this.maxLen = maxLen;
    if (unkId !== null && (unkId < 0 || unkId >= pieces.length)) throw new TokenizerError(`unk_id ${unkId} is outside the vocabulary (${pieces.length} pieces)`, { field: 'model.unk_id' });
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): Unigram {
    const vctx = at(ctx, 'vocab');
    const pieces = asArray(o.vocab, vctx).map((v, i): [string, number] => {
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'number') return failJson(at(vctx, i), '["piece", score]', v);
      return [v[0], v[1]];
    });
    try {
      return new Unigram(pieces, optInt(o, 'unk_id', ctx, null), optBool(o, 'byte_fallback', ctx, false));
    } catch (e) {
      if (e instanceof TokenizerError) throw new TokenizerError(e.message.replace(/^.*?: /, ''), { file: ctx.file, field: at(ctx, 'unk_id').path });
      throw e;
    }
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

  private segment(w: string): string[] {
    const n = w.length;
    const score = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const idAt = new Int32Array(n + 1).fill(-1);
    const unkScore = this.minScore - K_UNK_PENALTY;
    for (let s = 0; s < n; ) {
      const c = w.charCodeAt(s);
      const mb = c >= 0xd800 && c <= 0xdbff && s + 1 < n && (w.charCodeAt(s + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      if (s > 0 && from[s]! < 0) {
        s += mb;
        continue;
      }
      const base = score[s]!;
      let single = false;
      for (let len = 1; len <= this.maxLen && s + len <= n; len++) {
        const id = this.ids.get(w.slice(s, s + len));
        if (id === undefined) continue;
        const e = s + len;
        const cand = base + this.pieces[id]![1];
        if (from[e]! < 0 || cand > score[e]!) {
          score[e] = cand;
          from[e] = s;
          idAt[e] = id;
        }
        if (len === mb) single = true;
      }
      if (!single) {
        if (this.unkId === null) throw new TokenizerError('the model has no unk_id and a character is not covered by any piece', { field: 'model.unk_id' });
        const e = s + mb;
        const cand = base + unkScore;
        if (from[e]! < 0 || cand > score[e]!) {
          score[e] = cand;
          from[e] = s;
          idAt[e] = this.unkId;
        }
      }
      s += mb;
    }
    const out: string[] = [];
    let unk: string[] = [];
    for (let e = n; e > 0; ) {
      const s = from[e]!;
      const piece = w.slice(s, e);
      if (this.unkId !== null && idAt[e] === this.unkId) unk.push(piece);
      else {
        if (unk.length) {
          out.push(unk.reverse().join(''));
          unk = [];
        }
        out.push(piece);
      }
      e = s;
    }
    if (unk.length) out.push(unk.reverse().join(''));
    return out.reverse();
  }

  private compute(word: string): Token[] {
    const out: Token[] = [];
    let pos = 0;
    for (const piece of this.segment(word)) {
      const end = pos + piece.length;
      let id = this.ids.get(piece);
      if (id === undefined && this.byteFallback) {
        const bytes = [...new TextEncoder().encode(piece)].map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
        const bids = bytes.map((b) => this.ids.get(b));
        if (bids.every((b) => b !== undefined)) {
          bids.forEach((b, k) => out.push({ id: b!, value: bytes[k]!, start: pos, end }));
          pos = end;
          continue;
        }
      }
      if (id === undefined) id = this.unkId!;
      out.push({ id, value: piece, start: pos, end });
      pos = end;
    }
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id]?.[0];
  }

  getVocabSize(): number {
    return this.pieces.length;
  }

  getVocab(): Map<string, number> {
    return this.ids;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Unigram', unk_id: this.unkId, vocab: this.pieces, byte_fallback: this.byteFallback };
  }
}
