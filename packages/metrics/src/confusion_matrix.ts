import type { Label, LabelInput } from './array_like';
import { checkLabelsOption, checkTargets, uniqueLabels } from './label_set';
import { MetricsInputError, MetricsOptionError } from './metrics_error';

export interface ConfusionMatrixOptions {
  /** Row/column order. Default: every label in yTrue or yPred, sorted. Samples with other labels are ignored. */
  labels?: readonly Label[];
  /** Divide by row sums ('true'), column sums ('pred') or the total ('all'); 0/0 becomes 0. */
  normalize?: 'true' | 'pred' | 'all';
  /** Receives sklearn's warning for a 1×1 matrix (a single label). Default: console.warn. */
  onWarning?: (message: string) => void;
}

export interface ConfusionMatrix {
  /** Row i = true label `labels[i]`, column j = predicted label `labels[j]`. */
  matrix: number[][];
  labels: Label[];
}

/** sklearn `confusion_matrix` (rows: true, columns: predicted). */
export function confusionMatrix(
  yTrueIn: LabelInput,
  yPredIn: LabelInput,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  const fn = 'confusionMatrix';
  const targets = checkTargets(yTrueIn, yPredIn, fn);
  const { yTrue, yPred } = targets;
  const normalize = options.normalize;
  if (normalize !== undefined && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new MetricsOptionError(fn, 'options.normalize', `expected 'true', 'pred', 'all' or undefined, found ${String(normalize)}`);
  }
  let labels: Label[];
  if (options.labels === undefined) {
    labels = uniqueLabels(yTrue, yPred);
  } else {
    labels = checkLabelsOption(options.labels, targets, fn);
    if (labels.length === 0) throw new MetricsOptionError(fn, 'options.labels', 'should contain at least one label');
    const wanted = new Set(labels);
    if (!yTrue.some((t) => wanted.has(t))) {
      throw new MetricsInputError(fn, 'options.labels', 'at least one label specified must be in yTrue');
    }
  }
  const n = labels.length;
  const index = new Map<Label, number>();
  // The last occurrence wins, like sklearn's {label: index} dict.
  labels.forEach((l, i) => index.set(l, i));
  const matrix = labels.map(() => new Array<number>(n).fill(0));
  for (let s = 0; s < yTrue.length; s++) {
    const i = index.get(yTrue[s]!);
    const j = index.get(yPred[s]!);
    if (i !== undefined && j !== undefined) matrix[i]![j]!++;
  }
  if (n === 1) {
    (options.onWarning ?? ((m: string) => console.warn(m)))(
      "A single label was found in 'yTrue' and 'yPred'. For the confusion matrix to have the correct shape, use the 'labels' option to pass all known labels.",
    );
  }
  if (normalize === undefined) return { matrix, labels };
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = labels.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  const normalised = matrix.map((row, i) =>
    row.map((v, j) => {
      const d = normalize === 'true' ? rowSums[i]! : normalize === 'pred' ? colSums[j]! : total;
      return d === 0 ? 0 : v / d; // np.nan_to_num(0/0) = 0
    }),
  );
  return { matrix: normalised, labels };
}
