// DistilBERT's public surface; the package index re-exports it in one line.
export { DistilBertConfig, DistilBertConfigError } from './distilbert_config';
export { DistilBertEmbeddings, DistilBertSelfAttention, DistilBertFFN, DistilBertBlock, DistilBertTransformer, DistilBertPreTrainedModel, DistilBertModel } from './distilbert_model';
export { DistilBertForSequenceClassification, DistilBertForTokenClassification, DistilBertForQuestionAnswering, DistilBertForMaskedLM } from './distilbert_heads';
export { distilbert } from './family';
