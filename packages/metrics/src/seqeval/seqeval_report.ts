import { MetricsInputError, MetricsOptionError } from '../metrics_error';
import { alignRight, codePointLength, formatFixed } from '../python_format';
import { seqevalPrecisionRecallFscoreSupport, type SeqevalOptions, type TagSequences } from './seqeval_scores';

export interface SeqevalReportOptions extends SeqevalOptions {
  /** Decimal places. Default 2, as seqeval. */
  digits?: number;
}

export interface SeqevalReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/** seqeval's `output_dict`: one row per entity type, then `micro avg`, `macro avg`, `weighted avg`. */
export type SeqevalReportDict = Record<string, SeqevalReportRow>;

/**
 * seqeval `classification_report`: per entity type, then micro / macro /
 * weighted averages, printed as seqeval's StringReporter prints it.
 */
export function seqevalClassificationReport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SeqevalReportOptions & { outputDict: true },
): SeqevalReportDict;
export function seqevalClassificationReport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options?: SeqevalReportOptions & { outputDict?: false },
): string;
export function seqevalClassificationReport(
  yTrue: TagSequences,
  yPred: TagSequences,
  options: SeqevalReportOptions & { outputDict?: boolean } = {},
): string | SeqevalReportDict {
  const fn = 'seqevalClassificationReport';
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new MetricsOptionError(fn, 'options.digits', `expected an integer 0..100, found ${digits}`);
  }
  const per = seqevalPrecisionRecallFscoreSupport(yTrue, yPred, { ...options, average: null });
  const rows: [string, number, number, number, number][] = per.types.map((t, i) => [
    t,
    per.precision[i]!,
    per.recall[i]!,
    per.fScore[i]!,
    per.support[i]!,
  ]);
  if (rows.length === 0 && !options.outputDict) {
    throw new MetricsInputError(fn, 'yTrue/yPred', 'no entities in yTrue or yPred, so there is no row to print (seqeval raises here too)');
  }
  const averages = (['micro', 'macro', 'weighted'] as const).map((average) => {
    const a = seqevalPrecisionRecallFscoreSupport(yTrue, yPred, { ...options, average });
    return [`${average} avg`, a.precision, a.recall, a.fScore, a.support] as [string, number, number, number, number];
  });
  if (options.outputDict) {
    const dict: SeqevalReportDict = {};
    for (const [name, p, r, f, s] of [...rows, ...averages]) dict[name] = { precision: p, recall: r, 'f1-score': f, support: s };
    return dict;
  }
  const width = Math.max(Math.max(...per.types.map(codePointLength)), 'weighted avg'.length, digits);
  const line = ([name, p, r, f, s]: [string, number, number, number, number]) =>
    `${alignRight(name, width)} ` +
    [p, r, f].map((x) => ' ' + alignRight(formatFixed(x, digits), 9)).join('') +
    ' ' +
    alignRight(String(s), 9);
  const header = `${alignRight('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ' ' + alignRight(h, 9)).join('')}\n\n`;
  return header + [...rows.map(line), '', ...averages.map(line), ''].join('\n');
}
