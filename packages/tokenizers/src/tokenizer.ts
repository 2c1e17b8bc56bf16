import { AddedVocabulary, type AddedToken } from './added_vocabulary';
import type { Decoder } from './decoders/decoder';
import { decoderFromJSON } from './decoders/registry';
import type { Encoding } from './encoding';
import { TokenizerError } from './errors';
import { asObject, at, failJson, jsonDepthExceeds, MAX_JSON_DEPTH, optInt, optString, reqInt, type JsonContext, type JsonObject } from './json_fields';
import { mergeEncodings } from './merge_encodings';
import type { Model } from './models/model';
import { modelFromJSON } from './models/registry';
import type { Normalizer } from './normalizers/normalizer';
import { normalizerFromJSON } from './normalizers/registry';
import { padEncodings, type PaddingOptions } from './padding';
import type { PostProcessor } from './post_processors/post_processor';
import { postProcessorFromJSON } from './post_processors/registry';
import type { PreTokenizer } from './pre_tokenizers/pre_tokenizer';
import { preTokenizerFromJSON } from './pre_tokenizers/registry';
import { truncateEncodings, type TruncationOptions } from './truncation';
import { toWellFormed } from './well_formed';
import type { Trainer } from './trainers/trainer';
import { countWords, linesOfFiles } from './trainers/word_counts';

export interface EncodeOptions {
  /** Add the post-processor's special tokens ([CLS], [SEP], …). Default true. */
  addSpecialTokens?: boolean;
  /** Overrides the tokenizer's truncation for this call (false: none). */
  truncation?: TruncationOptions | false;
  /** Overrides the tokenizer's padding for this call (false: none). */
  padding?: PaddingOptions | false;
}

export interface TokenizerParts {
  model: Model;
  normalizer?: Normalizer | null;
  preTokenizer?: PreTokenizer | null;
  postProcessor?: PostProcessor | null;
  decoder?: Decoder | null;
  addedTokens?: AddedToken[];
}

type ResolvedTruncation = Required<TruncationOptions>;
type ResolvedPadding = Required<Omit<PaddingOptions, 'maxLength'>> & { maxLength?: number };

const STRATEGY_TO_HF = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' } as const;
const DIRECTION_TO_HF = { right: 'Right', left: 'Left' } as const;

/**
 * A HuggingFace-compatible tokenizer: normalizer → pre-tokenizer → model → post-processor, with
 * added tokens cut out first, and a decoder for the way back. encode() gives what HF tokenizers
 * (Rust) gives, with offsets in UTF-16 code units of the input string.
 */
export class Tokenizer {
  normalizer: Normalizer | null;
  preTokenizer: PreTokenizer | null;
  model: Model;
  postProcessor: PostProcessor | null;
  decoder: Decoder | null;
  readonly addedVocabulary = new AddedVocabulary();
  private truncation: ResolvedTruncation | null = null;
  private padding: ResolvedPadding | null = null;

  constructor(parts: TokenizerParts) {
    this.model = parts.model;
    this.normalizer = parts.normalizer ?? null;
    this.preTokenizer = parts.preTokenizer ?? null;
    this.postProcessor = parts.postProcessor ?? null;
    this.decoder = parts.decoder ?? null;
    if (parts.addedTokens) this.addedVocabulary.add(parts.addedTokens, this.normalizer);
  }

  // ---- loading and saving -------------------------------------------------------------------

  /** Reads a tokenizer.json file (Node only). */
  static async fromFile(path: string): Promise<Tokenizer> {
    const { readTextFile } = await import('./read_text_file');
    return Tokenizer.fromJSON(await readTextFile(path), path);
  }

  /** Builds a tokenizer from the content (or parsed object) of a HF tokenizer.json; `source` names it in errors. */
  static fromJSON(json: string | object, source = '<inline>'): Tokenizer {
    const ctx: JsonContext = { file: source, path: '' };
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new TokenizerError(`not valid JSON (${(e as Error).message}); expected a HuggingFace tokenizer.json`, { file: source });
      }
    }
    if (jsonDepthExceeds(parsed)) {
      throw new TokenizerError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels; a tokenizer.json nests a few levels. Refusing it.`, { file: source });
    }
    const o = asObject(parsed, ctx);
    if (o.model === undefined) failJson(at(ctx, 'model'), 'a model object', undefined);
    const normalizer = normalizerFromJSON(o.normalizer, at(ctx, 'normalizer'));
    const tk = new Tokenizer({
      model: modelFromJSON(o.model, at(ctx, 'model')),
      normalizer,
      preTokenizer: preTokenizerFromJSON(o.pre_tokenizer, at(ctx, 'pre_tokenizer')),
      postProcessor: postProcessorFromJSON(o.post_processor, at(ctx, 'post_processor')),
      decoder: decoderFromJSON(o.decoder, at(ctx, 'decoder')),
      addedTokens: AddedVocabulary.fromJSON(o.added_tokens, at(ctx, 'added_tokens')),
    });
    if (o.truncation) {
      const c = at(ctx, 'truncation');
      const t = asObject(o.truncation, c);
      const strategy = (Object.keys(STRATEGY_TO_HF) as Array<keyof typeof STRATEGY_TO_HF>).find((k) => STRATEGY_TO_HF[k] === (t.strategy ?? 'LongestFirst'));
      if (!strategy) failJson(at(c, 'strategy'), 'LongestFirst, OnlyFirst or OnlySecond', t.strategy);
      if (t.direction !== undefined && t.direction !== 'Left' && t.direction !== 'Right') failJson(at(c, 'direction'), 'Left or Right', t.direction);
      tk.setTruncation({ maxLength: reqInt(t, 'max_length', c), stride: optInt(t, 'stride', c, 0)!, strategy, direction: t.direction === 'Left' ? 'left' : 'right' });
    }
    if (o.padding) {
      const c = at(ctx, 'padding');
      const p = asObject(o.padding, c);
      let fixed: number | undefined;
      if (typeof p.strategy === 'object' && p.strategy !== null) fixed = reqInt(p.strategy as JsonObject, 'Fixed', at(c, 'strategy'));
      else if (p.strategy !== undefined && p.strategy !== 'BatchLongest') failJson(at(c, 'strategy'), '"BatchLongest" or {"Fixed": n}', p.strategy);
      if (p.direction !== undefined && p.direction !== 'Left' && p.direction !== 'Right') failJson(at(c, 'direction'), 'Left or Right', p.direction);
      tk.setPadding({
        strategy: fixed !== undefined ? 'max_length' : 'longest',
        maxLength: fixed,
        padToMultipleOf: optInt(p, 'pad_to_multiple_of', c, 0)!,
        direction: p.direction === 'Left' ? 'left' : 'right',
        padId: optInt(p, 'pad_id', c, 0)!,
        padTypeId: optInt(p, 'pad_type_id', c, 0)!,
        padToken: optString(p, 'pad_token', c, '[PAD]')!,
      });
    }
    return tk;
  }

  /** BERT vocab.txt (one token per line, the line number is the id), as HF's BertWordPieceTokenizer. */
  static async fromVocabFile(vocabTxt: string, opts: VocabOptions = {}): Promise<Tokenizer> {
    const { readTextFile } = await import('./read_text_file');
    const { tokenizerFromVocabText } = await import('./from_vocab_text');
    return tokenizerFromVocabText(await readTextFile(vocabTxt), opts, vocabTxt);
  }

  /**
   * Writes vocab.txt (one token per line, the line number is the id, added tokens included), the file
   * fromVocabFile and HF's slow BertTokenizer read; WordPiece models only. Durable, as save(); Node only.
   */
  async saveVocabFile(path: string): Promise<void> {
    const { vocabText } = await import('./from_vocab_text');
    const { writeFileDurable } = await import('@attn/tensor/durable_write');
    await writeFileDurable(path, vocabText(this, path));
  }

  /** GPT-2 / RoBERTa vocab.json + merges.txt, as transformers' fast tokenizers build them. */
  static async fromBPEFiles(vocabJson: string, mergesTxt: string, opts: BPEFilesOptions = {}): Promise<Tokenizer> {
    const { readTextFile } = await import('./read_text_file');
    const { tokenizerFromBPEText } = await import('./from_bpe_text');
    return tokenizerFromBPEText(await readTextFile(vocabJson), await readTextFile(mergesTxt), opts, vocabJson, mergesTxt);
  }

  /** The HF tokenizer.json object. */
  toJSON(): Record<string, unknown> {
    const t = this.truncation;
    const p = this.padding;
    return {
      version: '1.0',
      truncation: t && { direction: DIRECTION_TO_HF[t.direction], max_length: t.maxLength, strategy: STRATEGY_TO_HF[t.strategy], stride: t.stride },
      padding: p && {
        strategy: p.strategy === 'max_length' && p.maxLength !== undefined ? { Fixed: p.maxLength } : 'BatchLongest',
        direction: DIRECTION_TO_HF[p.direction],
        pad_to_multiple_of: p.padToMultipleOf > 0 ? p.padToMultipleOf : null,
        pad_id: p.padId,
        pad_type_id: p.padTypeId,
        pad_token: p.padToken,
      },
      added_tokens: this.addedVocabulary.all().map((a) => ({
        id: a.id,
        content: a.content,
        single_word: a.singleWord,
        lstrip: a.lstrip,
        rstrip: a.rstrip,
        normalized: a.normalized,
        special: a.special,
      })),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
      model: this.model.toJSON(),
    };
  }

  /**
   * Writes tokenizer.json (Node only), durably as attn writes every artifact: a flushed temporary file renamed over
   * `path`, then the directory flushed, so a crash leaves the old file or the new one, never a torn one.
   */
  async save(path: string): Promise<void> {
    // The writer's own entry, without tfjs: saving a tokenizer does not load the tensor library.
    const { writeFileDurable } = await import('@attn/tensor/durable_write');
    await writeFileDurable(path, JSON.stringify(this.toJSON(), null, 2));
  }

  // ---- training -----------------------------------------------------------------------------

  /**
   * Trains the model on text files, as HF's `tokenizer.train(files, trainer)`: every line (with its
   * line ending) is normalized and pre-tokenized, the trainer learns a new model from the word
   * counts, and its special tokens are added (Node only).
   */
  async train(files: string[], trainer: Trainer): Promise<this> {
    return this.trainFromIterator(linesOfFiles(files), trainer);
  }

  /** Trains the model on texts (strings, sync or async), as HF's `train_from_iterator`: each text is one sequence. */
  async trainFromIterator(texts: Iterable<string> | AsyncIterable<string>, trainer: Trainer): Promise<this> {
    const { model, specialTokens } = trainer.train(await countWords(this, texts), this.model);
    this.model = model;
    this.addSpecialTokens(specialTokens);
    return this;
  }

  // ---- settings -----------------------------------------------------------------------------

  setTruncation(t: TruncationOptions): this {
    this.truncation = resolveTruncation(t);
    return this;
  }

  noTruncation(): this {
    this.truncation = null;
    return this;
  }

  setPadding(p: PaddingOptions = {}): this {
    this.padding = this.resolvePadding(p);
    return this;
  }

  noPadding(): this {
    this.padding = null;
    return this;
  }

  getTruncation(): Readonly<ResolvedTruncation> | null {
    return this.truncation;
  }

  getPadding(): Readonly<ResolvedPadding> | null {
    return this.padding;
  }

  private resolvePadding(p: PaddingOptions): ResolvedPadding {
    if (p.strategy === 'max_length' && p.maxLength === undefined) {
      throw new TokenizerError("padding strategy 'max_length' needs maxLength", { field: 'padding.maxLength' });
    }
    // Default pad token: the vocabulary's own ([PAD] or <pad>), so RoBERTa pads with id 1.
    let padToken = p.padToken;
    let padId = p.padId;
    if (padToken === undefined && padId !== undefined) padToken = this.idToToken(padId);
    if (padToken === undefined) padToken = ['[PAD]', '<pad>'].find((t) => this.tokenToId(t) !== undefined) ?? '[PAD]';
    if (padId === undefined) padId = this.tokenToId(padToken) ?? 0;
    return {
      strategy: p.strategy ?? (p.maxLength !== undefined ? 'max_length' : 'longest'),
      maxLength: p.maxLength,
      padToMultipleOf: p.padToMultipleOf ?? 0,
      direction: p.direction ?? 'right',
      padId,
      padTypeId: p.padTypeId ?? 0,
      padToken,
    };
  }

  // ---- encoding -----------------------------------------------------------------------------

  /** Tokenizes one piece of text into an Encoding with type id and sequence id `seq`. */
  private encodeSequence(text: string, seq: number): Encoding {
    if (typeof text !== 'string') throw new TokenizerError(`encode expects text as a string, got ${text === null ? 'null' : typeof text}`, { field: seq === 0 ? 'text' : 'pair' });
    // Lone surrogates become U+FFFD (same length), as they do on their way into Rust.
    const input = toWellFormed(text);
    const pts = this.addedVocabulary.extractAndNormalize(this.normalizer, input);
    this.preTokenizer?.preTokenize(pts);
    const ids: number[] = [];
    const tokens: string[] = [];
    const offsets: Array<[number, number]> = [];
    const wordIds: number[] = [];
    const model = this.model;
    const splits = pts.splits;
    for (let w = 0; w < splits.length; w++) {
      const sp = splits[w]!;
      const ns = sp.ns;
      const toks = sp.tokens ?? model.tokenize(ns.text);
      for (let k = 0; k < toks.length; k++) {
        const t = toks[k]!;
        ids.push(t.id);
        tokens.push(t.value);
        offsets.push(ns.convert(t.start, t.end));
        wordIds.push(w);
      }
    }
    const n = ids.length;
    return {
      ids,
      typeIds: new Array<number>(n).fill(seq),
      tokens,
      offsets,
      attentionMask: new Array<number>(n).fill(1),
      specialTokensMask: new Array<number>(n).fill(0),
      wordIds,
      sequenceIds: new Array<number | null>(n).fill(seq),
      overflowing: [],
    };
  }

  private postProcess(a: Encoding, b: Encoding | null, addSpecial: boolean, trunc: ResolvedTruncation | null, pad: ResolvedPadding | null): Encoding {
    if (trunc) {
      const nAdded = addSpecial ? (this.postProcessor?.addedTokens(b !== null) ?? 0) : 0;
      if (trunc.maxLength < nAdded) {
        throw new TokenizerError(`truncation maxLength ${trunc.maxLength} leaves no room: the special tokens alone take ${nAdded}`, { field: 'truncation.maxLength' });
      }
      [a, b] = truncateEncodings(a, b, { ...trunc, maxLength: trunc.maxLength - nAdded });
    }
    const encs = b ? [a, b] : [a];
    const out = this.postProcessor ? mergeEncodings(this.postProcessor.processEncodings(encs, addSpecial)) : b ? mergeEncodings(encs) : a;
    if (pad) padEncodings([out], pad);
    return out;
  }

  private callSettings(opts: EncodeOptions): [ResolvedTruncation | null, ResolvedPadding | null] {
    const trunc = opts.truncation === undefined ? this.truncation : opts.truncation === false ? null : resolveTruncation(opts.truncation);
    const pad = opts.padding === undefined ? this.padding : opts.padding === false ? null : this.resolvePadding(opts.padding);
    return [trunc, pad];
  }

  /** Encodes a text, or a pair of texts (`pair`), synchronously. */
  encode(text: string, pair?: string | null, opts: EncodeOptions = {}): Encoding {
    const [trunc, pad] = this.callSettings(opts);
    const a = this.encodeSequence(text, 0);
    const b = pair === undefined || pair === null ? null : this.encodeSequence(pair, 1);
    return this.postProcess(a, b, opts.addSpecialTokens ?? true, trunc, pad);
  }

  /** Encodes a batch; padding 'longest' pads to the longest encoding of the batch. */
  encodeBatch(inputs: Array<string | [string, string]>, opts: EncodeOptions = {}): Encoding[] {
    const [trunc, pad] = this.callSettings(opts);
    const addSpecial = opts.addSpecialTokens ?? true;
    const out = inputs.map((inp) => {
      const [x, y] = typeof inp === 'string' ? [inp, null] : inp;
      return this.postProcess(this.encodeSequence(x, 0), y === null ? null : this.encodeSequence(y, 1), addSpecial, trunc, pad);
    });
    if (pad) padEncodings(out, pad);
    return out;
  }

  // ---- decoding and vocabulary --------------------------------------------------------------

  decode(ids: number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const skip = opts.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (const id of ids) {
      const added = this.addedVocabulary.idToToken(id);
      const t = added ?? this.model.idToToken(id);
      if (t === undefined) continue;
      if (skip && this.addedVocabulary.isSpecialContent(t)) continue;
      tokens.push(t);
    }
    return this.decoder ? this.decoder.decodeChain(tokens).join('') : tokens.join(' ');
  }

  decodeBatch(batch: number[][], opts: { skipSpecialTokens?: boolean } = {}): string[] {
    return batch.map((ids) => this.decode(ids, opts));
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.tokenToId(token) ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedVocabulary.idToToken(id) ?? this.model.idToToken(id);
  }

  getVocab(withAddedTokens = true): Map<string, number> {
    const v = new Map(this.model.getVocab());
    if (withAddedTokens) for (const a of this.addedVocabulary.all()) v.set(a.content, a.id);
    return v;
  }

  getVocabSize(withAddedTokens = true): number {
    if (!withAddedTokens) return this.model.getVocabSize();
    // getVocab(true).size without copying the model's map (callers loop on this: a copy per call was quadratic).
    const vocab = this.model.getVocab();
    let size = vocab.size;
    for (const a of this.addedVocabulary.all()) if (!vocab.has(a.content)) size++;
    return size;
  }

  /** Adds special tokens (never split, skipped by decode with skipSpecialTokens). Returns how many were new. */
  addSpecialTokens(tokens: string[]): number {
    return this.addTokens(tokens.map((content) => ({ content, special: true })));
  }

  /** Adds tokens to the vocabulary (ids after the model's); existing vocabulary entries keep their id. */
  addTokens(tokens: Array<string | (Partial<AddedToken> & { content: string })>): number {
    let next = Math.max(this.model.getVocabSize(), ...this.addedVocabulary.all().map((a) => a.id + 1));
    const list: AddedToken[] = [];
    for (const t of tokens) {
      const spec = typeof t === 'string' ? { content: t } : t;
      if (spec.content.length === 0 || this.addedVocabulary.get(spec.content)) continue;
      const special = spec.special ?? false;
      const id = this.model.tokenToId(spec.content) ?? next++;
      list.push({ content: spec.content, id, special, singleWord: spec.singleWord ?? false, lstrip: spec.lstrip ?? false, rstrip: spec.rstrip ?? false, normalized: spec.normalized ?? !special });
    }
    this.addedVocabulary.add(list, this.normalizer);
    return list.length;
  }

  private firstId(candidates: string[]): number | undefined {
    for (const c of candidates) {
      const id = this.tokenToId(c);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  get padTokenId(): number | undefined {
    return this.padding ? this.padding.padId : this.firstId(['[PAD]', '<pad>']);
  }

  get clsTokenId(): number | undefined {
    return this.firstId(['[CLS]', '<s>']);
  }

  get sepTokenId(): number | undefined {
    return this.firstId(['[SEP]', '</s>']);
  }

  get maskTokenId(): number | undefined {
    return this.firstId(['[MASK]', '<mask>']);
  }

  get unkTokenId(): number | undefined {
    const m = this.model as Model & { unkToken?: string | null };
    if (typeof m.unkToken === 'string') return this.tokenToId(m.unkToken);
    return this.firstId(['[UNK]', '<unk>']);
  }
}

export interface VocabOptions {
  lowercase?: boolean;
  /** Default: follows lowercase (HF). */
  stripAccents?: boolean;
  /** Default true. */
  cleanText?: boolean;
  handleChineseChars?: boolean;
  unkToken?: string;
}

export interface BPEFilesOptions {
  kind?: 'gpt2' | 'roberta';
}

function resolveTruncation(t: TruncationOptions): ResolvedTruncation {
  if (!Number.isInteger(t.maxLength) || t.maxLength < 0) throw new TokenizerError(`maxLength must be a non-negative integer, got ${t.maxLength}`, { field: 'truncation.maxLength' });
  const stride = t.stride ?? 0;
  if (!Number.isInteger(stride) || stride < 0) throw new TokenizerError(`stride must be a non-negative integer, got ${stride}`, { field: 'truncation.stride' });
  return { maxLength: t.maxLength, stride, strategy: t.strategy ?? 'longest_first', direction: t.direction ?? 'right' };
}
