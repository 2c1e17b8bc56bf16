/**
 * The structural tensor adapter against real TensorFlow.js tensors. Only the
 * test imports @attn/tensor (through the vitest alias); the package itself
 * never does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { accuracyScore, classificationReport, confusionMatrix, f1Score } from '../src/index';

describe('metrics on tf.Tensor inputs', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('accepts int32 label tensors and argMax of logits, and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const yTrue = tf.tensor1d([0, 1, 2, 2, 2], 'int32');
    const logits = tf.tensor2d([
      [0.9, 0.05, 0.05],
      [0.6, 0.3, 0.1],
      [0.1, 0.1, 0.8],
      [0.2, 0.1, 0.7],
      [0.1, 0.8, 0.1],
    ]);
    const yPred = tf.argMax(logits, -1);
    expect(accuracyScore(yTrue, yPred)).toBeCloseTo(0.6, 15);
    expect(f1Score(yTrue, yPred, { average: 'macro' })).toBe(f1Score([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { average: 'macro' }));
    expect(confusionMatrix(yTrue, yPred).matrix).toEqual([[1, 0, 0], [1, 0, 0], [0, 1, 2]]);
    expect(classificationReport(yTrue, yPred)).toBe(classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]));
    expect(() => accuracyScore(yTrue, logits)).toThrow(/argMax/);
    tf.dispose([yTrue, logits, yPred]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
