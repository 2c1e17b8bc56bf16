// Text generation for decoder-only models; the package index re-exports it in one line.
export { generate, streamGenerate } from './generate';
export type { GenerationStep } from './generate';
export { GenerationOptionsError } from './generation_options';
export type { GenerationOptions, GenerationOutput } from './generation_options';
export { KeyValueCache, KeyValueCacheError } from './kv_cache';
export { IncrementalDecoder } from './incremental_decoder';
export type { CausalLanguageModel } from './incremental_decoder';
export { applyRepetitionPenalty, applyTemperature, applyTopK, applyTopP } from './logits_processors';
