import type { Encoding } from '@attn/tokenizers';

/**
 * config.json field naming the token type id that marks context tokens which also occur in the question (DrQA's
 * "exact match" feature, Chen et al. 2017). A model trained with it carries the field, so that every reader of the
 * model (training, eval, pipelines) marks its inputs the same way.
 */
export const QUESTION_MATCH_CONFIG_KEY = 'question_match_type_id';

/** Words too common to say anything about where the answer is (shared with the sentence prior). */
export const STOP_WORDS = new Set(
  ('a an the of in on at to for by with from and or is are was were be been what which who whom whose when where why ' +
    'how did do does that this it its as into than then there their they he she his her not no').split(' '),
);

/** A token's text without its continuation or space marker (WordPiece `##`, byte-level BPE `Ġ`, SentencePiece `▁`), lower-cased. */
function matchKey(token: string): string {
  return token.replace(/^(##|Ġ|▁)/u, '').toLowerCase();
}

function isContentPiece(key: string): boolean {
  return key.length > 1 && !STOP_WORDS.has(key) && /[\p{L}\p{N}]/u.test(key);
}

/**
 * Token type ids of a question (sequence 0) + context (sequence 1) window with `typeId` on every context token whose
 * piece, lower-cased, is a content piece of the question. Pieces, not words, are compared, so that the feature needs
 * nothing but the tokenizer's output; stop words and single characters are not matches.
 */
export function questionMatchTypeIds(w: Encoding, typeId: number): number[] {
  const question = new Set<string>();
  w.tokens.forEach((t, i) => {
    if (w.sequenceIds[i] !== 0) return;
    const key = matchKey(t);
    if (isContentPiece(key)) question.add(key);
  });
  return w.typeIds.map((type, i) => (w.sequenceIds[i] === 1 && question.has(matchKey(w.tokens[i]!)) ? typeId : type));
}

/** What questionMatchTypeId reads from a model config (PretrainedConfig has this shape). */
export interface QuestionMatchConfig {
  extra?: Record<string, unknown>;
  typeVocabSize?: number;
}

/**
 * The model's question-match token type id (config.json `question_match_type_id`), or undefined when it was not
 * trained with one. A value that is not an id of the model's token type table is refused with one line naming the field.
 */
export function questionMatchTypeId(config: QuestionMatchConfig, source = 'config.json'): number | undefined {
  const v = config.extra?.[QUESTION_MATCH_CONFIG_KEY];
  if (v === undefined || v === null) return undefined;
  const types = config.typeVocabSize ?? 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 2 || v >= types) {
    throw new TypeError(
      `${source}: field "${QUESTION_MATCH_CONFIG_KEY}" must be a token type id from 2 to type_vocab_size - 1 (type_vocab_size is ${types}), got ${JSON.stringify(v)}.`,
    );
  }
  return v;
}
