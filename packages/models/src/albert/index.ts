// ALBERT's public surface; the package index re-exports it in one line.
export { AlbertConfig } from './albert_config';
export { AlbertAttention, AlbertLayer, AlbertLayerGroup, AlbertTransformer, AlbertPreTrainedModel, AlbertModel, albertGroupOfLayer } from './albert_model';
export { AlbertForSequenceClassification, AlbertForTokenClassification, AlbertForQuestionAnswering, AlbertForMaskedLM } from './albert_heads';
export { albert } from './family';
