export { getEntities, type EntitySpan, type SentenceEntitySpan, type EntityOptions } from './entities';
export { autoDetectScheme, SCHEME_NAMES, type SchemeName } from './scheme';
export {
  seqevalPrecisionRecallFscoreSupport,
  seqevalF1,
  seqevalPrecision,
  seqevalRecall,
  seqevalAccuracy,
  performanceMeasure,
  type PerformanceMeasure,
  type TagSequences,
  type SeqevalOptions,
  type SeqevalPrfOptions,
  type SeqevalPerType,
  type SeqevalAveraged,
} from './seqeval_scores';
export {
  seqevalClassificationReport,
  type SeqevalReportOptions,
  type SeqevalReportDict,
  type SeqevalReportRow,
} from './seqeval_report';
