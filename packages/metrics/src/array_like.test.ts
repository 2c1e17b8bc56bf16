import { describe, expect, it } from 'vitest';
import { accuracyScore } from './accuracy';
import { toLabelArray } from './array_like';
import { confusionMatrix } from './confusion_matrix';
import { MetricsInputError } from './metrics_error';

describe('toLabelArray (thin tensor adapter, no tfjs import)', () => {
  it('accepts typed arrays', () => {
    expect(toLabelArray(new Int32Array([0, 2, 1]), 'f', 'x')).toEqual([0, 2, 1]);
  });
  it('accepts anything with arraySync() or dataSync(), as a tf.Tensor1D', () => {
    const viaArraySync = { shape: [3], arraySync: () => [1, 0, 1] };
    const viaDataSync = { shape: [3], dataSync: () => new Int32Array([1, 1, 1]) };
    expect(accuracyScore(viaArraySync, viaDataSync)).toBeCloseTo(2 / 3, 15);
    expect(confusionMatrix(viaArraySync, viaDataSync).matrix).toEqual([[0, 1], [0, 2]]);
  });
  it('asks for argMax when given 2-D logits', () => {
    const logits = { shape: [2, 3], arraySync: () => [[0.1, 0.2, 0.7], [0.9, 0, 0.1]] };
    expect(() => toLabelArray(logits, 'f1Score', 'yPred')).toThrow(/argMax/);
  });
  it('rejects continuous values and mixed types with typed errors', () => {
    expect(() => toLabelArray([0.5, 1], 'f', 'yTrue')).toThrow(MetricsInputError);
    expect(() => accuracyScore([1, 'a'], [1, 'a'])).toThrow(MetricsInputError);
    expect(() => accuracyScore([1, 2], [1])).toThrow(/2 true labels/);
  });
});
