import type { Label, LabelInput } from './array_like';
import { checkLabelsOption, checkTargets, uniqueLabels } from './label_set';
import { MetricsInputError, MetricsOptionError } from './metrics_error';
import { classCounts, scoresFromCounts, type AveragedScores } from './precision_recall_fscore';
import { alignRight, codePointLength, formatFixed } from './python_format';
import { checkZeroDivision, type ZeroDivision } from './zero_division';

export interface ClassificationReportOptions {
  /** Classes to report, in this order. Default: every label in yTrue or yPred, sorted. */
  labels?: readonly Label[];
  /** Display names, one per label. */
  targetNames?: readonly string[];
  /** Decimal places of the printed scores. Default 2. */
  digits?: number;
  zeroDivision?: ZeroDivision;
  onWarning?: (message: string) => void;
}

export interface ReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * sklearn's `output_dict`: one row per target name, then `accuracy` (a number,
 * present when micro average equals accuracy) or `micro avg`, then
 * `macro avg` and `weighted avg`.
 */
export type ClassificationReportDict = Record<string, ReportRow | number>;

interface ReportData {
  rows: [string, number, number, number, number][];
  names: string[];
  averages: [string, AveragedScores][];
  totalSupport: number;
  /**
   * sklearn (1.2 to 1.9) builds its counts as float64 when no sample at all is predicted
   * correctly (its "pathological case" in multilabel_confusion_matrix), and
   * then prints supports as `2.0` instead of `2`. Reproduced for exactness.
   */
  floatSupport: boolean;
}

function computeReport(yTrueIn: LabelInput, yPredIn: LabelInput, options: ClassificationReportOptions): ReportData {
  const fn = 'classificationReport';
  const targets = checkTargets(yTrueIn, yPredIn, fn);
  const present = uniqueLabels(targets.yTrue, targets.yPred);
  const labelsGiven = options.labels !== undefined;
  const labels = labelsGiven ? checkLabelsOption(options.labels!, targets, fn) : present;
  const labelSet = new Set(labels);
  // sklearn ≥ 1.3: `accuracy` whenever the labels cover every label present (a superset counts).
  const microIsAccuracy = !labelsGiven || present.every((l) => labelSet.has(l));
  let names: string[];
  if (options.targetNames !== undefined) {
    names = [...options.targetNames];
    if (names.length !== labels.length) {
      if (!labelsGiven) {
        throw new MetricsInputError(
          fn,
          'options.targetNames',
          `${labels.length} labels but ${names.length} target names; give one name per class or pass options.labels`,
        );
      }
      // sklearn only warns here and zips the shorter of the two.
      (options.onWarning ?? ((m: string) => console.warn(m)))(
        `labels size, ${labels.length}, does not match size of targetNames, ${names.length}`,
      );
    }
  } else {
    names = labels.map((l) => String(l));
  }
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 'warn', fn);
  // One counting pass serves the per-class rows and all three averages.
  const counts = classCounts(targets.yTrue, targets.yPred, labels);
  const per = scoresFromCounts(counts, null, zeroDivision, 1, options.onWarning);
  const rows: ReportData['rows'] = [];
  for (let i = 0; i < Math.min(names.length, labels.length); i++) {
    rows.push([names[i]!, per.precision[i]!, per.recall[i]!, per.fScore[i]!, per.support[i]!]);
  }
  const averages: ReportData['averages'] = (['micro', 'macro', 'weighted'] as const).map((average) => [
    average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`,
    scoresFromCounts(counts, average, zeroDivision, 1, options.onWarning),
  ]);
  const floatSupport = !targets.yTrue.some((t, i) => t === targets.yPred[i]);
  return { rows, names, averages, totalSupport: per.support.reduce((a, b) => a + b, 0), floatSupport };
}

/**
 * sklearn `classification_report`, printed character for character as
 * scikit-learn prints it (headers, `accuracy` row, widths, half-to-even rounding).
 */
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions & { outputDict?: false },
): string;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions & { outputDict: true },
): ClassificationReportDict;
export function classificationReport(yTrue: LabelInput, yPred: LabelInput): string;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions & { outputDict?: boolean } = {},
): string | ClassificationReportDict {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new MetricsOptionError('classificationReport', 'options.digits', `expected an integer 0..100, found ${digits}`);
  }
  const data = computeReport(yTrue, yPred, options);
  if (options.outputDict) {
    const dict: ClassificationReportDict = {};
    for (const [name, p, r, f, s] of data.rows) dict[name] = { precision: p, recall: r, 'f1-score': f, support: s };
    for (const [heading, avg] of data.averages) {
      dict[heading] =
        heading === 'accuracy'
          ? avg.precision
          : { precision: avg.precision, recall: avg.recall, 'f1-score': avg.fScore, support: data.totalSupport };
    }
    return dict;
  }
  if (data.names.length === 0) {
    throw new MetricsInputError('classificationReport', 'yTrue', 'no labels to report (empty input); pass some samples');
  }
  const width = Math.max(Math.max(...data.names.map(codePointLength)), 'weighted avg'.length, digits);
  const num = (x: number) => ' ' + alignRight(formatFixed(x, digits), 9);
  const int = (x: number) => ' ' + alignRight(data.floatSupport ? pythonFloatRepr(x) : String(x), 9);
  const row = (name: string, p: number, r: number, f: number, s: number) =>
    `${alignRight(name, width)} ${num(p)}${num(r)}${num(f)}${int(s)}\n`;
  let out = `${alignRight('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ' ' + alignRight(h, 9)).join('')}\n\n`;
  for (const [name, p, r, f, s] of data.rows) out += row(name, p, r, f, s);
  out += '\n';
  for (const [heading, avg] of data.averages) {
    out +=
      heading === 'accuracy'
        ? `${alignRight(heading, width)} ${' '.repeat(10)}${' '.repeat(10)}${num(avg.fScore)}${int(data.totalSupport)}\n`
        : row(heading, avg.precision, avg.recall, avg.fScore, data.totalSupport);
  }
  return out;
}

/** Python's `str(float)` for the integral values a support holds (`2.0`); counts never reach 1e16. */
function pythonFloatRepr(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
}
