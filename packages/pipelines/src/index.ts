export { loadTokenizer, saveTokenizer, ModelDirectoryError } from './pretrained_tokenizer';
export { TextClassificationPipeline } from './text_classification_pipeline';
export type { TextClassificationResult, TextClassificationOptions } from './text_classification_pipeline';
export { pipeline, PIPELINE_TASKS } from './pipeline';
export type { PipelineTask, PipelineByTask } from './pipeline';
