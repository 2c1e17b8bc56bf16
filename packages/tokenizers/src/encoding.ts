/**
 * The result of tokenizing one input (or one overflowing window of it), as HF tokenizers' Encoding.
 * Offsets are [start, end) indices into the original JavaScript string, counted in UTF-16 code units.
 */
export interface Encoding {
  ids: number[];
  typeIds: number[];
  tokens: string[];
  /** [start, end) in UTF-16 code units of the original input; [0, 0] for special tokens. */
  offsets: Array<[number, number]>;
  attentionMask: number[];
  specialTokensMask: number[];
  /** Index of the word (pre-token) each token came from; null for special tokens. */
  wordIds: Array<number | null>;
  /** 0 for the first sequence, 1 for the pair; null for special tokens. */
  sequenceIds: Array<number | null>;
  /** Further windows when truncation with a stride produced them. */
  overflowing: Encoding[];
}

/** Index of the token of sequence `sequenceId` whose offsets contain character `pos` (UTF-16 unit), if any. */
export function charToToken(enc: Encoding, pos: number, sequenceId = 0): number | undefined {
  for (let i = 0; i < enc.ids.length; i++) {
    if (enc.sequenceIds[i] !== sequenceId) continue;
    const [s, e] = enc.offsets[i]!;
    if (pos >= s && pos < e) return i;
  }
  return undefined;
}

/** The [start, end) characters (UTF-16 units) of token `token` in its sequence's input. */
export function tokenToChars(enc: Encoding, token: number): [number, number] | undefined {
  const o = enc.offsets[token];
  return o ? [o[0], o[1]] : undefined;
}

/** The [start, end) token range of word `word` in sequence `sequenceId`, if the word is present. */
export function wordToTokens(enc: Encoding, word: number, sequenceId = 0): [number, number] | undefined {
  let start = -1;
  let end = -1;
  for (let i = 0; i < enc.ids.length; i++) {
    if (enc.wordIds[i] === word && enc.sequenceIds[i] === sequenceId) {
      if (start < 0) start = i;
      end = i + 1;
    }
  }
  return start < 0 ? undefined : [start, end];
}

/** The word index of token `token` (null for special and padding tokens). */
export function tokenToWord(enc: Encoding, token: number): number | null | undefined {
  return enc.wordIds[token];
}

/** The word index containing character `pos` of sequence `sequenceId`, if any. */
export function charToWord(enc: Encoding, pos: number, sequenceId = 0): number | undefined {
  const t = charToToken(enc, pos, sequenceId);
  return t === undefined ? undefined : (enc.wordIds[t] ?? undefined);
}

/** An Encoding with no tokens. */
export function emptyEncoding(): Encoding {
  return { ids: [], typeIds: [], tokens: [], offsets: [], attentionMask: [], specialTokensMask: [], wordIds: [], sequenceIds: [], overflowing: [] };
}

/** Tokens [start, end) of `enc` as a new Encoding without overflowing windows. */
export function sliceEncoding(enc: Encoding, start: number, end: number): Encoding {
  return {
    ids: enc.ids.slice(start, end),
    typeIds: enc.typeIds.slice(start, end),
    tokens: enc.tokens.slice(start, end),
    offsets: enc.offsets.slice(start, end),
    attentionMask: enc.attentionMask.slice(start, end),
    specialTokensMask: enc.specialTokensMask.slice(start, end),
    wordIds: enc.wordIds.slice(start, end),
    sequenceIds: enc.sequenceIds.slice(start, end),
    overflowing: [],
  };
}

/** A deep copy (overflowing windows included). */
export function cloneEncoding(enc: Encoding): Encoding {
  const c = sliceEncoding(enc, 0, enc.ids.length);
  c.overflowing = enc.overflowing.map(cloneEncoding);
  return c;
}

/** Sets every token's sequence id, in the overflowing windows too. */
export function setSequenceId(enc: Encoding, sequenceId: number): void {
  enc.sequenceIds.fill(sequenceId);
  for (const o of enc.overflowing) setSequenceId(o, sequenceId);
}

/** Sets every token's type id and sequence id, in the overflowing windows too. */
export function setSequence(enc: Encoding, typeId: number, sequenceId: number): void {
  enc.typeIds.fill(typeId);
  enc.sequenceIds.fill(sequenceId);
  for (const o of enc.overflowing) setSequence(o, typeId, sequenceId);
}
