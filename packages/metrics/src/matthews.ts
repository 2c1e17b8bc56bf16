import type { LabelInput } from './array_like';
import { confusionMatrix } from './confusion_matrix';

/**
 * Matthews correlation coefficient, multiclass form (Gorodkin 2004), computed
 * as sklearn's `matthews_corrcoef`: 0 when either marginal is constant.
 */
export function matthewsCorrcoef(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: { onWarning?: (message: string) => void } = {},
): number {
  // sklearn builds it from confusion_matrix, and so warns for a single label too.
  const { matrix } = confusionMatrix(yTrue, yPred, { onWarning: options.onWarning });
  const k = matrix.length;
  const tSum = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const pSum = matrix.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  let nCorrect = 0;
  for (let i = 0; i < k; i++) nCorrect += matrix[i]![i]!;
  const nSamples = pSum.reduce((a, b) => a + b, 0);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const covYtYp = nCorrect * nSamples - dot(tSum, pSum);
  const covYpYp = nSamples ** 2 - dot(pSum, pSum);
  const covYtYt = nSamples ** 2 - dot(tSum, tSum);
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}
