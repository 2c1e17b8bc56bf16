// Family-neutral machinery: configs, checkpoint I/O, the architecture registry.
export { PretrainedConfig, ConfigError, readConfigJSON, MAX_CONFIG_JSON_DEPTH } from './pretrained_config';
export type { PretrainedConfigJSON, ConfigField, ConfigClass, ProblemType } from './pretrained_config';
export { PreTrainedModel, initGenerator, modelFromWeights, SAVE_DTYPES } from './pretrained_model';
export type { SaveDtype, SavePretrainedOptions } from './pretrained_model';
export type { ModelTask, ModelInitOptions, FromPretrainedOptions, LoadingInfo, ParameterLayout, PreTrainedModelClass } from './pretrained_model';
export { registerFamily, registeredFamilies, registeredArchitectures, registeredPresets, presetConfig, familyOf, classForTask, findArchitecture } from './registry';
export type { ModelFamily } from './registry';
export { createModel, loadModel, loadModelFromBytes, fromPretrainedBytes, toPretrainedBytes, toPretrainedBytesAsync, resolveArchitecture } from './load_model';
export type { TaskModel, BertTask, BertTaskModel, PretrainedBytes } from './load_model';
export type { ModelInputs, ModelOutput } from './model_io';
export { CheckpointShapeError, UnsupportedArchitectureError } from './checkpoint_errors';

// BERT
export { BertConfig, BertConfigError } from './bert/bert_config';
export type { BertConfigJSON, BertPresetName } from './bert/bert_config';
export { BertEmbeddings, BertInputError } from './bert/bert_embeddings';
export { BertPooler } from './bert/bert_pooler';
export { BertPreTrainedModel } from './bert/bert_pretrained_model';
export type { BertInitOptions, BertModelClass } from './bert/bert_pretrained_model';
export { BertModel } from './bert/bert_model';
export type { BertModelOptions } from './bert/bert_model';
export { BertForSequenceClassification } from './bert/bert_for_sequence_classification';
export { BertForTokenClassification } from './bert/bert_for_token_classification';
export { BertForQuestionAnswering } from './bert/bert_for_question_answering';
export { BertForMaskedLM } from './bert/bert_for_masked_lm';
export { bert } from './bert/family';
export { sequenceClassificationLoss } from './sequence_classification_loss';

// Decoders: inputs with positions and a KV cache, the causal-LM loss, last-token pooling, generation.
export { DecoderInputError } from './decoder_io';
export type { DecoderInputs } from './decoder_io';
export { causalLanguageModelingLoss } from './causal_lm_loss';
export { poolLastNonPaddingToken, LastTokenPoolingError } from './last_token_pooling';
export * from './generation/index';
export type { BertEmbeddingsOptions } from './bert/bert_embeddings';

// Families beyond BERT: one line each.
export * from './roberta/index';
export * from './gpt2/index';
export * from './llama/index';
export * from './electra/index';
export * from './distilbert/index';
export * from './albert/index';
export { quantize, quantizedModules, QUANT_METHOD } from './quantized_checkpoint';
export { addTokenType } from './token_type_table';
export type { QuantizationConfigJSON } from './quantized_checkpoint';
