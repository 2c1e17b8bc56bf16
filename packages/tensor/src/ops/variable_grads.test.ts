// attn's variableGrads / gradients against tf.variableGrads / engine.gradients: the same bits on graphs with fan-out,
// multi-output ops, custom gradients that hand dy through, unconnected and non-trainable variables; and what it is
// for: memory freed during the backward pass, no tensor left behind, a failed backward leaves no tape.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { countNewTensors } from '../memory/tensor_leak';
import { gradients, variableGrads } from './variable_grads';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37));

/** A custom op whose gradient hands dy through unchanged for x (the same tensor object) and scales it for y. */
const passThrough = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
  save([y]);
  return { value: tf.add(x, tf.mul(y, 2)), gradFunc: (dy: tf.Tensor) => [dy, tf.mul(dy, 2)] };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;

function network(w1: tf.Variable, w2: tf.Variable, b: tf.Variable, x: tf.Tensor): tf.Scalar {
  const h = tf.tanh(tf.matMul(x, w1)); // h is used three times below (fan-out)
  const [left, right] = tf.split(h, 2, 1); // a two-output op
  const g = passThrough(tf.matMul(h, w2), tf.mul(h, tf.add(b, tf.sum(left))));
  return tf.sum(tf.mul(tf.add(g, tf.sigmoid(h)), tf.concat([right, left], 1))) as tf.Scalar;
}

describe('variableGrads', () => {
  it('gives tf.variableGrads bits, nulls and errors', () => {
    const w1 = tf.variable(tf.tensor2d(values(12, 1), [3, 4]), true, 'vg_w1');
    const w2 = tf.variable(tf.tensor2d(values(16, 2), [4, 4]), true, 'vg_w2');
    const b = tf.variable(tf.tensor1d(values(4, 3)), true, 'vg_b');
    const frozen = tf.variable(tf.tensor1d([1, 2]), false, 'vg_frozen');
    const unused = tf.variable(tf.tensor1d([3]), true, 'vg_unused');
    const x = tf.tensor2d(values(6, 4), [2, 3]);
    const list = [w1, w2, b, frozen, unused];
    const ref = tf.variableGrads(() => network(w1, w2, b, x), list);
    const ours = variableGrads(() => network(w1, w2, b, x), list);
    expect(ours.value.dataSync()).toEqual(ref.value.dataSync());
    expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(ref.grads).sort());
    for (const name of ['vg_w1', 'vg_w2', 'vg_b']) expect(Array.from(ours.grads[name]!.dataSync())).toEqual(Array.from(ref.grads[name]!.dataSync()));
    expect(ours.grads['vg_frozen']).toBeNull();
    expect('vg_unused' in ours.grads).toBe(false);
    tf.dispose([ref.value, ours.value, ...Object.values(ref.grads).filter((g): g is tf.Tensor => !!g), ...Object.values(ours.grads).filter((g): g is tf.Tensor => !!g)]);

    expect(() => variableGrads(() => tf.sum(x) as tf.Scalar, [unused])).toThrow(/Cannot find a connection/);
    expect(() => variableGrads(() => tf.mul(unused, 2) as unknown as tf.Scalar, [unused])).toThrow(/must return a scalar/);
    expect(() => variableGrads(() => tf.sum(frozen) as tf.Scalar, [frozen])).toThrow(/none of the 1 variables is trainable/);
    tf.dispose([w1, w2, b, frozen, unused, x]);
  });

  it('leaves no tensor behind, also when a gradient function throws', async () => {
    const w = tf.variable(tf.tensor2d(values(16, 5), [4, 4]), true, 'vg_leak_w');
    const x = tf.tensor2d(values(8, 6), [2, 4]);
    expect(
      await countNewTensors(() => {
        for (let i = 0; i < 3; i++) {
          const { value, grads } = variableGrads(() => tf.sum(tf.square(tf.relu(tf.matMul(x, w)))) as tf.Scalar, [w]);
          tf.dispose([value, ...Object.values(grads) as tf.Tensor[]]);
        }
      }),
    ).toBe(0);
    const broken = tf.customGrad(((a: tf.Tensor) => ({
      value: tf.mul(a, 3),
      gradFunc: () => {
        throw new Error('broken gradient');
      },
    })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor) => tf.Tensor;
    expect(
      await countNewTensors(() => {
        expect(() => variableGrads(() => tf.sum(broken(tf.matMul(x, w))) as tf.Scalar, [w])).toThrow('broken gradient');
      }),
    ).toBe(0);
    // The tape is gone: the next differentiation is a fresh one.
    const { value, grads } = variableGrads(() => tf.sum(tf.matMul(x, w)) as tf.Scalar, [w]);
    expect(Array.from(grads['vg_leak_w']!.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([value, grads['vg_leak_w']!, w, x]);
  });
});

describe('gradients', () => {
  it('frees activations and their gradients as the backward pass goes, where tfjs keeps all of them', () => {
    // A deep chain whose first op reports the bytes alive when its gradient runs: the last moment of the backward.
    let atEnd = 0;
    const probe = tf.customGrad(((a: tf.Tensor) => ({
      value: tf.mul(a, 1),
      gradFunc: (dy: tf.Tensor) => {
        atEnd = tf.memory().numBytes;
        return [tf.mul(dy, 1)];
      },
    })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor) => tf.Tensor;
    const w = tf.variable(tf.tensor2d(values(64 * 64, 7).map((v) => v / 8), [64, 64]), true, 'vg_chain_w');
    const x = tf.tensor2d(values(64 * 64, 8), [64, 64]);
    const chain = () => {
      let h = probe(tf.matMul(x, w));
      for (let i = 0; i < 40; i++) h = tf.tanh(tf.matMul(h, w));
      return tf.sum(h) as tf.Scalar;
    };
    const run = (f: typeof gradients) => {
      const before = tf.memory().numBytes;
      const { value, grads } = f(chain, [w]);
      const peak = atEnd - before;
      const out = Array.from(grads[0]!.dataSync());
      tf.dispose([value, ...grads.filter((g): g is tf.Tensor => !!g)]);
      return { peak, out };
    };
    const ref = run((f, xs) => {
      const { value, grads } = tf.engine().gradients(f, xs, undefined, true);
      return { value, grads: grads.map((g) => g ?? undefined) };
    });
    const ours = run(gradients);
    expect(ours.out).toEqual(ref.out);
    // 40 layers of 16 KB activations: tfjs holds ~40 × (saved + gradient); attn a few layers' worth.
    expect(ref.peak).toBeGreaterThan(40 * 2 * 64 * 64 * 4);
    expect(ours.peak).toBeLessThan(ref.peak / 4);
    tf.dispose([w, x]);
  });

  it('inside another gradient it is engine.gradients (higher order)', () => {
    const x = tf.scalar(1.5);
    // d/dx of (d/dx x³) = 6x, with the inner derivative taken through `gradients`.
    const outer = tf.grad((a: tf.Tensor) => {
      const { value, grads } = gradients(() => tf.pow(a, 3) as tf.Scalar, [a]);
      value.dispose();
      return grads[0]!;
    });
    expect(outer(x).dataSync()[0]).toBeCloseTo(9, 5);
    x.dispose();
  });
});
