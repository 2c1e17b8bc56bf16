import type { LabelInput } from './array_like';
import { checkTargets } from './label_set';

export interface AccuracyOptions {
  /** true (default): fraction correct; false: number correct (sklearn `normalize`). */
  normalize?: boolean;
}

/** sklearn `accuracy_score` for 1-D labels: the fraction of exact matches (empty input throws, as sklearn 1.9). */
export function accuracyScore(yTrue: LabelInput, yPred: LabelInput, options: AccuracyOptions = {}): number {
  const { yTrue: t, yPred: p } = checkTargets(yTrue, yPred, 'accuracyScore');
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) correct++;
  return options.normalize === false ? correct : correct / t.length;
}
