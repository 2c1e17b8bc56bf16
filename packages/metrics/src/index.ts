export { MetricsError, MetricsInputError, MetricsOptionError, SeqevalSchemeError } from './metrics_error';
export { type Label, type LabelInput, type TensorLike, toLabelArray } from './array_like';
export type { ZeroDivision } from './zero_division';
export { accuracyScore, type AccuracyOptions } from './accuracy';
export {
  precisionRecallFscoreSupport,
  f1Score,
  fbetaScore,
  precisionScore,
  recallScore,
  type Average,
  type PrecisionRecallFscoreOptions,
  type PerClassScores,
  type AveragedScores,
} from './precision_recall_fscore';
export {
  classificationReport,
  type ClassificationReportOptions,
  type ClassificationReportDict,
  type ReportRow,
} from './classification_report';
export { confusionMatrix, type ConfusionMatrix, type ConfusionMatrixOptions } from './confusion_matrix';
export { matthewsCorrcoef } from './matthews';
export { perplexity, PerplexityAccumulator } from './perplexity';
export { formatFixed } from './python_format';
export { renderConfusionMatrix, type RenderConfusionMatrixOptions } from './render_confusion_matrix';
export * from './seqeval/index';
export * from './squad/index';
export * from './svg/index';
export { argmaxRows } from './argmax';
export { trainingCurvesSvg, type TrainingCurve, type TrainingCurvesSvgOptions } from './svg/training_curves_svg';
