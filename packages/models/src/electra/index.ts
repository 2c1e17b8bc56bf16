// ELECTRA's public surface; the package index re-exports it in one line.
export { ElectraConfig } from './electra_config';
export { ElectraModel } from './electra_model';
export { ElectraForSequenceClassification, ElectraForTokenClassification, ElectraForQuestionAnswering } from './electra_heads';
export { electra } from './family';
