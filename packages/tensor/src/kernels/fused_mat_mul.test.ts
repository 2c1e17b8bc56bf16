import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { onBackends } from './backend_parity';

// Stock wasm tf.fused.matMul with a bias and batch > 1 was off by whole units.
describe('wasm _FusedMatMul equals cpu', () => {
  it.each([
    ['linear', false, false],
    ['relu', false, true],
    ['relu6', true, false],
    ['elu', false, false],
    ['sigmoid', true, true],
    ['leakyrelu', false, false],
    ['prelu', false, false],
  ] as Array<[string, boolean, boolean]>)('batched with bias, activation %s, tA=%s tB=%s', async (activation, ta, tb) => {
    const [cpu, wasm] = await onBackends(['cpu', 'wasm'], () => {
      const a = tf.sub(tf.range(0, 24).reshape(ta ? [2, 4, 3] : [2, 3, 4]).div(10), 1);
      const b = tf.sub(tf.range(0, 40).reshape(tb ? [2, 5, 4] : [2, 4, 5]).div(7), 2.5);
      const y = tf.fused.matMul({
        a: a as tf.Tensor3D,
        b: b as tf.Tensor3D,
        transposeA: ta,
        transposeB: tb,
        bias: tf.tensor1d([1, -2, 3, -4, 5]),
        activation: activation as 'relu',
        preluActivationWeights: activation === 'prelu' ? tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5]) : undefined,
        leakyreluAlpha: 0.3,
      });
      return [y];
    });
    expect(wasm![0]!.shape).toEqual([2, 3, 5]);
    cpu![0]!.values.forEach((v, i) => expect(Math.abs(wasm![0]!.values[i]! - v)).toBeLessThan(1e-4));
  });
});
