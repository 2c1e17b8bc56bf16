import type { Encoding } from '@attn/tokenizers';
import type { FeatureTokenizer } from './feature_tokenizer';
import type { QaExample } from './squad';
import { questionMatchTypeIds } from './question_match';

export interface QaFeatureOptions {
  /** Tokens per window, question included. Default 384 (HF run_qa). */
  maxLength?: number;
  /** Tokens shared by consecutive windows of a long context. Default 128 (HF's doc_stride). */
  stride?: number;
  /**
   * Token type id for context tokens that also occur in the question (the model config's `question_match_type_id`,
   * see questionMatchTypeId). Undefined: the usual 0 / 1 segment ids.
   */
  questionMatchTypeId?: number;
}

/** One training window: the answer's token span, or both positions at CLS when it is not inside. */
export interface QaTrainFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  startPosition: number;
  endPosition: number;
  /** Index of the example this window came from. */
  exampleIndex: number;
}

/** One evaluation window, with what post-processing needs to map token spans back to text. */
export interface QaEvalFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  exampleId: string;
  exampleIndex: number;
  /** Character span per token in the context; null for question and special tokens. */
  offsetMapping: Array<[number, number] | null>;
}

/** Question + context, windowed over the context only (`only_second`), as HF's run_qa. */
function encodeWindows(tokenizer: FeatureTokenizer, example: QaExample, opts: QaFeatureOptions): Encoding[] {
  // HF strips leading spaces: some questions start with many, which would eat the window.
  const enc = tokenizer.encode(example.question.replace(/^\s+/, ''), example.context, {
    addSpecialTokens: true,
    truncation: { maxLength: opts.maxLength ?? 384, stride: opts.stride ?? 128, strategy: 'only_second' },
  });
  return [enc, ...enc.overflowing];
}

function typeIdsOf(w: Encoding, opts: QaFeatureOptions): number[] {
  return opts.questionMatchTypeId === undefined ? w.typeIds : questionMatchTypeIds(w, opts.questionMatchTypeId);
}

/** HF run_qa `prepare_train_features`, per example; trains on the first answer. */
export function prepareQaTrainFeatures(
  tokenizer: FeatureTokenizer,
  examples: readonly QaExample[],
  opts: QaFeatureOptions = {},
): QaTrainFeature[] {
  const features: QaTrainFeature[] = [];
  examples.forEach((example, exampleIndex) => {
    for (const w of encodeWindows(tokenizer, example, opts)) {
      const cls = tokenizer.clsTokenId === undefined ? 0 : Math.max(0, w.ids.indexOf(tokenizer.clsTokenId));
      let startPosition = cls;
      let endPosition = cls;
      const answer = example.answers[0];
      if (answer) {
        const startChar = answer.answerStart;
        const endChar = startChar + answer.text.length;
        let first = 0;
        while (first < w.ids.length && w.sequenceIds[first] !== 1) first++;
        let last = w.ids.length - 1;
        while (last >= 0 && w.sequenceIds[last] !== 1) last--;
        if (first <= last && w.offsets[first]![0] <= startChar && w.offsets[last]![1] >= endChar) {
          // Walks stay inside the context tokens (HF's walk can run on into [SEP] and padding
          // when the answer ends the context).
          let s = first;
          while (s <= last && w.offsets[s]![0] <= startChar) s++;
          startPosition = s - 1;
          let e = last;
          while (e >= first && w.offsets[e]![1] >= endChar) e--;
          endPosition = e + 1;
        }
      }
      features.push({ inputIds: w.ids, attentionMask: w.attentionMask, tokenTypeIds: typeIdsOf(w, opts), startPosition, endPosition, exampleIndex });
    }
  });
  return features;
}

/** HF run_qa `prepare_validation_features`: keeps the example id and the context offsets. */
export function prepareQaEvalFeatures(
  tokenizer: FeatureTokenizer,
  examples: readonly QaExample[],
  opts: QaFeatureOptions = {},
): QaEvalFeature[] {
  const features: QaEvalFeature[] = [];
  examples.forEach((example, exampleIndex) => {
    for (const w of encodeWindows(tokenizer, example, opts)) {
      features.push({
        inputIds: w.ids,
        attentionMask: w.attentionMask,
        tokenTypeIds: typeIdsOf(w, opts),
        exampleId: example.id,
        exampleIndex,
        offsetMapping: w.offsets.map((o, t) => (w.sequenceIds[t] === 1 ? [o[0], o[1]] : null)),
      });
    }
  });
  return features;
}
