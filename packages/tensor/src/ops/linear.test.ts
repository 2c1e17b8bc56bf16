import { describe, expect, it, vi } from 'vitest';
import { tf } from '../tf';
import { onBackends } from '../kernels/backend_parity';
import { Generator } from '../random/generator';
import { linear } from './linear';
import { setFusedKernelsEnabled } from './fused_dispatch';

// Stock wasm tf.fused.matMul with a bias and batch > 1 returned wrong values; linear must not use it.
describe('linear', () => {
  it('with bias on [batch, seq, in] equals cpu on wasm, forward and gradients', async () => {
    const rng = new Generator(8);
    const vals = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const x = vals(3 * 5 * 7);
    const w = vals(7 * 4);
    const b = vals(4);
    const [cpu, wasm] = await onBackends(['cpu', 'wasm'], () => {
      const xt = tf.tensor(x, [3, 5, 7]);
      const wt = tf.tensor(w, [7, 4]);
      const bt = tf.tensor(b, [4]);
      const y = linear(xt, wt, bt);
      const g = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.square(linear(a, c, d))))([xt, wt, bt]);
      return [y, ...g];
    });
    expect(wasm![0]!.shape).toEqual([3, 5, 4]);
    // Hand check of one output element.
    let y0 = b[0]!;
    for (let i = 0; i < 7; i++) y0 += x[i]! * w[i * 4]!;
    expect(cpu![0]!.values[0]).toBeCloseTo(y0, 5);
    cpu!.forEach((r, i) => {
      const got = wasm![i]!.values;
      r.values.forEach((v, j) => expect(Math.abs(got[j]! - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    });
  });

  it('adds the bias inside one _FusedMatMul (same values and gradients as matMul + add) unless fused dispatch is off', async () => {
    const rng = new Generator(9);
    const vals = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const [x, w, b] = [vals(2 * 6 * 5), vals(5 * 3), vals(3)];
    const run = (fused: boolean) =>
      onBackends(['cpu', 'wasm'], () => {
        const prev = setFusedKernelsEnabled(fused);
        const spy = vi.spyOn(tf.engine(), 'runKernel');
        try {
          const [xt, wt, bt] = [tf.tensor(x, [2, 6, 5]), tf.tensor(w, [5, 3]), tf.tensor(b, [3])];
          const y = linear(xt, wt, bt);
          const g = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.square(linear(a, c, d))))([xt, wt, bt]);
          expect(spy.mock.calls.some(([name]) => name === '_FusedMatMul')).toBe(fused);
          return [y, ...g];
        } finally {
          spy.mockRestore();
          setFusedKernelsEnabled(prev);
        }
      });
    const [fused, composed] = [await run(true), await run(false)];
    fused.forEach((backend, i) =>
      backend!.forEach((r, j) => r.values.forEach((v, k) => expect(Math.abs(v - composed[i]![j]!.values[k]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))))),
    );
  });
});
