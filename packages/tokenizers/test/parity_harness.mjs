// Compares attn's tokenizers with HF tokenizers (Rust, through @anush008/tokenizers) on lists of
// inputs. Plain JS so that both the vitest suite and tools/tokenizers/parity.mjs use it.
// The oracle's offsets count Unicode code points of the input (lone surrogates arrive in Rust as
// one U+FFFD each); attn's count UTF-16 code units, so the oracle's are converted here.

const STRATEGY = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' };

/** Code point index → UTF-16 unit index, for one string. */
export function codePointToUnit(s) {
  const map = [0];
  let u = 0;
  for (const ch of s) {
    u += ch.length;
    map.push(u);
  }
  return map;
}

/** The oracle's encoding as a plain object shaped like attn's Encoding, offsets in UTF-16 units. */
export function oracleEncoding(enc, a, b) {
  const maps = [codePointToUnit(a), b == null ? null : codePointToUnit(b)];
  const seq = enc.getSequenceIds().map((x) => x ?? null);
  const offsets = enc.getOffsets().map(([s, e], i) => {
    const m = maps[seq[i] ?? 0] ?? maps[0];
    return seq[i] === null ? [s, e] : [m[s] ?? -1, m[e] ?? -1];
  });
  return {
    ids: enc.getIds(),
    typeIds: enc.getTypeIds(),
    tokens: enc.getTokens(),
    offsets,
    attentionMask: enc.getAttentionMask(),
    specialTokensMask: enc.getSpecialTokensMask(),
    wordIds: enc.getWordIds().map((x) => x ?? null),
    sequenceIds: seq,
    overflowing: enc.getOverflowing().map((o) => oracleEncoding(o, a, b)),
  };
}

const FIELDS = ['ids', 'tokens', 'offsets', 'wordIds', 'typeIds', 'sequenceIds', 'specialTokensMask', 'attentionMask'];

/** The first difference between two encodings (overflowing windows included), or null. */
export function diffEncodings(mine, theirs, path = '') {
  for (const f of FIELDS) {
    const x = JSON.stringify(mine[f]);
    const y = JSON.stringify(theirs[f]);
    if (x !== y) {
      const xs = mine[f];
      const ys = theirs[f];
      let i = 0;
      while (i < Math.min(xs.length, ys.length) && JSON.stringify(xs[i]) === JSON.stringify(ys[i])) i++;
      return `${path}${f}[${i}]: attn ${JSON.stringify(xs.slice(i, i + 3))} (len ${xs.length}) vs HF ${JSON.stringify(ys.slice(i, i + 3))} (len ${ys.length}); tokens here ${JSON.stringify(theirs.tokens.slice(Math.max(0, i - 2), i + 3))}`;
    }
  }
  if (mine.overflowing.length !== theirs.overflowing.length) return `${path}overflowing.length: attn ${mine.overflowing.length} vs HF ${theirs.overflowing.length}`;
  for (let k = 0; k < mine.overflowing.length; k++) {
    const d = diffEncodings(mine.overflowing[k], theirs.overflowing[k], `${path}overflowing[${k}].`);
    if (d) return d;
  }
  return null;
}

/**
 * Encodes every input with both tokenizers and counts mismatches.
 * inputs: strings or [a, b] pairs; truncation: attn's TruncationOptions or undefined.
 * Returns { compared, mismatches, examples: [{ input, diff }] }.
 */
export async function compareTokenizers(mine, oracle, inputs, { truncation, maxExamples = 5, batch = 512 } = {}) {
  if (truncation) {
    oracle.setTruncation(truncation.maxLength, { stride: truncation.stride ?? 0, strategy: STRATEGY[truncation.strategy ?? 'longest_first'], direction: truncation.direction === 'left' ? 'left' : 'right' });
  } else oracle.disableTruncation();
  const opts = { truncation: truncation ?? false };
  let compared = 0;
  let mismatches = 0;
  const examples = [];
  const record = (input, diff) => {
    mismatches++;
    if (examples.length < maxExamples) examples.push({ input, diff });
  };
  for (let i = 0; i < inputs.length; i += batch) {
    const chunk = inputs.slice(i, i + batch);
    const mineOut = chunk.map((inp) => {
      try {
        return typeof inp === 'string' ? mine.encode(inp, null, opts) : mine.encode(inp[0], inp[1], opts);
      } catch (e) {
        return { error: e };
      }
    });
    // Inputs attn rejects (e.g. stride too large for the room left) would make Rust panic: skip those.
    const ok = chunk.filter((_, k) => !mineOut[k].error);
    // One await per input: faster than the binding's encodeBatch, which also takes no pairs.
    const theirs = [];
    for (const inp of ok) {
      try {
        theirs.push(typeof inp === 'string' ? await oracle.encode(inp) : await oracle.encode(inp[0], inp[1]));
      } catch (e) {
        theirs.push({ error: e });
      }
    }
    let j = 0;
    for (let k = 0; k < chunk.length; k++) {
      const inp = chunk[k];
      compared++;
      if (mineOut[k].error) {
        // attn refused: acceptable only for truncation the oracle cannot do either.
        if (!truncation) record(inp, `attn threw ${mineOut[k].error.message}`);
        continue;
      }
      const t = theirs[j++];
      if (t.error) {
        record(inp, `HF threw ${t.error.message ?? t.error}`);
        continue;
      }
      const [a, b] = typeof inp === 'string' ? [inp, null] : inp;
      const d = diffEncodings(mineOut[k], oracleEncoding(t, a, b));
      if (d) record(inp, d);
    }
  }
  oracle.disableTruncation();
  return { compared, mismatches, examples };
}

/** The five tokenizers of the acceptance test, built for attn (`lib` = the package) and for the oracle. */
export async function buildPairs(lib, oracleLib, tokDir) {
  const { Tokenizer } = lib;
  const O = oracleLib;
  const out = {};
  out['bert-base-uncased (tokenizer.json)'] = [await Tokenizer.fromFile(`${tokDir}/bert-base-uncased/tokenizer.json`), O.Tokenizer.fromFile(`${tokDir}/bert-base-uncased/tokenizer.json`)];
  const bertOracle = async (vocab, lowercase) => {
    const t = new O.Tokenizer(await O.WordPiece.fromFile(vocab, { unkToken: '[UNK]' }));
    t.setNormalizer(O.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lowercase, lowercase }));
    t.setPreTokenizer(O.bertPreTokenizer());
    const sep = t.tokenToId('[SEP]');
    const cls = t.tokenToId('[CLS]');
    t.setPostProcessor(O.bertProcessing(['[SEP]', sep], ['[CLS]', cls]));
    t.setDecoder(O.wordPieceDecoder('##', true));
    t.addSpecialTokens(['[UNK]', '[SEP]', '[CLS]', '[PAD]', '[MASK]']);
    return t;
  };
  out['bert-base-uncased (vocab.txt)'] = [await Tokenizer.fromVocabFile(`${tokDir}/bert-base-uncased/vocab.txt`, { lowercase: true }), await bertOracle(`${tokDir}/bert-base-uncased/vocab.txt`, true)];
  out['bert-base-cased (vocab.txt)'] = [await Tokenizer.fromVocabFile(`${tokDir}/bert-base-cased/vocab.txt`, { lowercase: false }), await bertOracle(`${tokDir}/bert-base-cased/vocab.txt`, false)];
  for (const [name, kind] of [['gpt2', 'gpt2'], ['roberta-base', 'roberta']]) {
    const mine = await Tokenizer.fromBPEFiles(`${tokDir}/${name}/vocab.json`, `${tokDir}/${name}/merges.txt`, { kind });
    // The oracle reads attn's own tokenizer.json: this also checks that toJSON() is valid for HF.
    out[`${name} (vocab.json + merges.txt)`] = [mine, O.Tokenizer.fromString(JSON.stringify(mine.toJSON()))];
  }
  return out;
}
