// Errors and reader plumbing
export { DataError } from './data_error';
export type { SourceLocation } from './data_error';
export { SkipReport } from './error_policy';
export type { OnError, ReaderOptions, Loaded } from './error_policy';
export { splitLines, readLines, readTextFile } from './line_reader';
export { decodeBytes, TEXT_ENCODINGS } from './text_encoding';
export type { TextEncoding } from './text_encoding';
export type { LineParser } from './line_reader';

// Readers
export type { ClassificationExample } from './classification_example';
export type { TokenClassificationExample } from './token_classification_example';
export { parseDelimited, streamDelimited, readDelimited } from './delimited';
export type { DelimitedFormat, DelimitedOptions } from './delimited';
export { parseJsonl, streamJsonl, readJsonl } from './jsonl';
export type { JsonlOptions } from './jsonl';
export { parseConll, streamConll, readConll } from './conll';
export type { ConllOptions } from './conll';
export { iob1ToIob2 } from './iob';
export { parseSquad, readSquad } from './squad';
export type { QaExample, QaAnswer, SquadOptions } from './squad';
export { stripGutenberg, splitParagraphs, readGutenbergParagraphs } from './gutenberg';

// Labels
export { LabelMap } from './label_map';
export type { LabelConfig } from './label_map';

// Datasets and batching
export { ArrayDataset, MapDataset } from './dataset';
export type { Dataset } from './dataset';
export { DataLoader } from './data_loader';
export type { DataLoaderOptions } from './data_loader';
export type { Batch, Collator } from './collator';
export type { EncodedBatch, ClassificationBatch, TokenClassificationBatch, QuestionAnsweringBatch, MaskedLmBatch, CausalLmBatch } from './batches';
export { paddedLength, padToTensor } from './pad_batch';

// Task processing
export type { FeatureTokenizer, EncodeOptions, TruncationOptions } from './feature_tokenizer';
export { prepareClassificationFeature, prepareClassificationFeatures } from './classification';
export type { ClassificationFeature, ClassificationFeatureOptions } from './classification';
export { classificationCollator } from './classification_collator';
export type { PaddingOptions } from './classification_collator';
export { IGNORE_INDEX, prepareTokenClassificationFeature, prepareTokenClassificationFeatures } from './token_classification';
export type { TokenClassificationFeature, TokenClassificationFeatureOptions } from './token_classification';
export { tokenClassificationCollator } from './token_classification_collator';
export { prepareQaTrainFeatures, prepareQaEvalFeatures } from './question_answering';
export type { QaFeatureOptions, QaTrainFeature, QaEvalFeature } from './question_answering';
export { QUESTION_MATCH_CONFIG_KEY, questionMatchTypeId, questionMatchTypeIds } from './question_match';
export type { QuestionMatchConfig } from './question_match';
export { SENTENCE_PRIOR_KEY, SENTENCE_PRIOR_TASK, SentencePrior, sentencePriorWeight, sentenceSpans, setSentencePriorWeight } from './sentence_prior';
export type { SentencePriorConfig } from './sentence_prior';
export { qaCollator } from './qa_collator';
export { postprocessQaPredictions } from './qa_postprocess';
export type { QaPostprocessOptions, QaPrediction, QaCandidate } from './qa_postprocess';
export { MlmCollator } from './mlm_collator';
export type { MlmFeature, MlmCollatorOptions } from './mlm_collator';
export { packSequences } from './pack_sequences';
export type { PackOptions } from './pack_sequences';
export { causalLmCollator } from './causal_lm_collator';
export type { CausalLmFeature, CausalLmCollatorOptions } from './causal_lm_collator';
export { groupTexts } from './group_texts';
export type { GroupTextsOptions } from './group_texts';
