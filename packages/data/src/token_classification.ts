import type { FeatureTokenizer } from './feature_tokenizer';
import type { LabelMap } from './label_map';
import type { TokenClassificationExample } from './token_classification_example';

/** Label id for positions the loss ignores (special tokens, non-first sub-tokens). */
export const IGNORE_INDEX = -100;

export interface TokenClassificationFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  /** One per token: the word's tag id on its first sub-token, -100 elsewhere. */
  labels: number[];
  /** Index into `example.words` for each token, null for special tokens (to map predictions back). */
  wordIds: Array<number | null>;
}

export interface TokenClassificationFeatureOptions {
  labelMap: LabelMap;
  /** Give every sub-token its word's label (B- becomes I- after the first), not only the first. */
  labelAllTokens?: boolean;
  /** Default 512; longer sentences are truncated. */
  maxLength?: number;
}

/**
 * Word-level tags → sub-token labels, as HF's run_ner `tokenize_and_align_labels`. Words are
 * joined with single spaces and each token is mapped to its word through its character offsets,
 * so any tokenizer that reports offsets works, however its pre-tokenizer splits words.
 */
export function prepareTokenClassificationFeature(
  tokenizer: FeatureTokenizer,
  example: TokenClassificationExample,
  opts: TokenClassificationFeatureOptions,
): TokenClassificationFeature {
  const wordStarts: number[] = [];
  let text = '';
  for (const w of example.words) {
    if (text.length > 0) text += ' ';
    wordStarts.push(text.length);
    text += w;
  }
  const tagIds = example.tags.map((t, i) =>
    opts.labelMap.id(t, { ...example.source, line: (example.source.line ?? 1) + i, field: 'tag' }),
  );
  const enc = tokenizer.encode(text, undefined, { addSpecialTokens: true, truncation: { maxLength: opts.maxLength ?? 512 } });

  const labels: number[] = [];
  const wordIds: Array<number | null> = [];
  let previousWord: number | null = null;
  for (let t = 0; t < enc.ids.length; t++) {
    const [start, end] = enc.offsets[t]!;
    if (enc.specialTokensMask[t] === 1 || end <= start) {
      labels.push(IGNORE_INDEX);
      wordIds.push(null);
      continue;
    }
    const word = wordAt(wordStarts, start);
    wordIds.push(word);
    if (word !== previousWord) labels.push(tagIds[word]!);
    else labels.push(opts.labelAllTokens ? insideLabel(opts.labelMap, tagIds[word]!) : IGNORE_INDEX);
    previousWord = word;
  }
  return { inputIds: enc.ids, attentionMask: enc.attentionMask, tokenTypeIds: enc.typeIds, labels, wordIds };
}

/** The last word starting at or before `offset` (binary search over sorted starts). */
function wordAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** B-X → I-X when the map has I-X, as HF's `b_to_i_label` for label_all_tokens. */
function insideLabel(map: LabelMap, id: number): number {
  const label = map.label(id);
  if (!label.startsWith('B-')) return id;
  const inside = `I-${label.slice(2)}`;
  return map.has(inside) ? map.id(inside) : id;
}

export function prepareTokenClassificationFeatures(
  tokenizer: FeatureTokenizer,
  examples: readonly TokenClassificationExample[],
  opts: TokenClassificationFeatureOptions,
): TokenClassificationFeature[] {
  return examples.map((ex) => prepareTokenClassificationFeature(tokenizer, ex, opts));
}
