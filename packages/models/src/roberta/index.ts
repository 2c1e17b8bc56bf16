// RoBERTa's public surface; the package index re-exports it in one line.
export { RobertaConfig } from './roberta_config';
export { RobertaEmbeddings } from './roberta_embeddings';
export { RobertaModel } from './roberta_model';
export { RobertaClassificationHead } from './roberta_classification_head';
export { RobertaForSequenceClassification, RobertaForTokenClassification, RobertaForQuestionAnswering, RobertaForMaskedLM } from './roberta_heads';
export { roberta } from './family';
