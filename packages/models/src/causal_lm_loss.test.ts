import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { loadModel } from './index';
import { FAMILY_REF } from '../test/family_reference';
import { causalLanguageModelingLoss } from './causal_lm_loss';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('causal-LM loss', () => {
  it('is the mean cross-entropy of token t against label t + 1, -100 ignored', () => {
    const logits = tf.tensor3d([[[2, 0], [0, 1], [3, 3]]]); // [1, 3, 2]
    const labels = tf.tensor2d([[9, 1, -100]], [1, 3], 'int32'); // label 0 is never predicted; the last is ignored
    const nll = (row: number[], y: number) => -(row[y]! - Math.log(row.reduce((s, x) => s + Math.exp(x), 0)));
    // position 0 predicts 1, position 1 predicts -100 (ignored), position 2 has nothing after it
    expect(causalLanguageModelingLoss(logits, labels).dataSync()[0]).toBeCloseTo(nll([2, 0], 1), 6);
  });

  it.each(['micro-gpt2-clm', 'micro-llama-clm', 'micro-llama-tied-clm'])('%s: training steps lower the loss and leak no tensor', async (name) => {
    const model = await loadModel(join(FAMILY_REF, 'checkpoints', name));
    model.train();
    const ids = tf.tensor2d([[5, 17, 300, 42, 9, 77], [0, 0, 12, 13, 14, 15]], [2, 6], 'int32');
    const attentionMask = tf.tensor2d([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]], [2, 6], 'int32');
    const labels = tf.tensor2d([[5, 17, 300, 42, 9, 77], [-100, -100, 12, 13, 14, 15]], [2, 6], 'int32');
    const vars = model.parameters();
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.forward({ inputIds: ids, attentionMask, labels }).loss!, vars);
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.05)))));
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    const first = step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    tf.dispose([ids, attentionMask, labels]);
    model.dispose();
  });
});
