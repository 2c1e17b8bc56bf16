import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gelu, initBackend, layerNorm, setFusedKernelsEnabled, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { activeNativeKernels, registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { expectClose, randomValues } from './test_support';

const addon = loadNativeAddon();
const t = (shape: number[], seed: number, scale = 1) => tf.tidy(() => tf.mul(tf.tensor(randomValues(shape, seed), shape), scale));

/** Value and gradients of sum(f(inputs) · w), a loss whose gradient is not all ones. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], w: tf.Tensor) {
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(inputs);
  const out = { grads: grads.map((g) => g.dataSync()) };
  tf.dispose(grads);
  return out;
}

describe.skipIf(!addon)('fused GELU and LayerNorm on wasm + native', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
    expect(activeNativeKernels(tf)).toEqual(expect.arrayContaining(['AttnGelu', 'AttnLayerNormGrad']));
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  /** Runs `compute` with the stock kernels (the composed @attn/tensor op) as the reference. */
  function stockReference<T>(compute: () => T): T {
    unregisterNativeKernels(tf);
    try {
      return compute();
    } finally {
      registerNativeKernels(tf);
    }
  }

  for (const shape of [[7, 33], [3, 130, 65], [20001], [200, 301]]) {
    it(`gelu [${shape}] on AttnGelu equals the composed op forward and backward`, () => {
      const x = t(shape, 71, 4);
      const w = t(shape, 72);
      const expected = stockReference(() => ({ y: tf.tidy(() => gelu(x)).dataSync(), ...valueAndGrads(gelu, [x], w) }));
      const y = tf.tidy(() => gelu(x));
      expectClose(y.dataSync(), expected.y);
      const got = valueAndGrads(gelu, [x], w);
      expectClose(got.grads[0]!, expected.grads[0]!);
      tf.dispose([x, w, y]);
    });
  }

  for (const [shape, eps] of [
    [[5, 32], 1e-12],
    [[2, 129, 67], 1e-5],
    [[4096, 1], 1e-12],
    [[300, 129], 1e-12],
  ] as Array<[number[], number]>) {
    it(`layerNorm [${shape}] eps ${eps} on AttnLayerNorm equals the composed op forward and backward`, () => {
      const h = shape[shape.length - 1]!;
      const x = tf.tidy(() => tf.add(t(shape, 81, 3), 0.5));
      const g = tf.tidy(() => tf.add(t([h], 82, 0.2), 1));
      const b = t([h], 83, 0.1);
      const w = t(shape, 84);
      const ln = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => layerNorm(xx, gg, bb, eps);
      const expected = stockReference(() => ({ y: tf.tidy(() => ln(x, g, b)).dataSync(), ...valueAndGrads(ln, [x, g, b], w) }));
      const y = tf.tidy(() => ln(x, g, b));
      expectClose(y.dataSync(), expected.y);
      const got = valueAndGrads(ln, [x, g, b], w);
      got.grads.forEach((gr, i) => expectClose(gr, expected.grads[i]!));
      tf.dispose([x, g, b, w, y]);
    });
  }

  it('keeps the tensor count stable across training-like steps', () => {
    const x = tf.variable(t([64, 48], 91));
    const g = tf.variable(tf.ones([48]));
    const b = tf.variable(tf.zeros([48]));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(gelu(layerNorm(x, g, b))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g, b]);
  });

  it("@attn/tensor's gelu and layerNorm launch the native kernels, unless fused dispatch is off", () => {
    const x = t([6, 32], 95);
    const g = tf.ones([32]);
    const b = tf.zeros([32]);
    const launched = () => {
      const spy = vi.spyOn(tf.engine(), 'runKernel');
      try {
        tf.dispose(tf.grads((xx: tf.Tensor) => tf.sum(gelu(layerNorm(xx, g, b))))([x]));
        return spy.mock.calls.map(([name]) => name).filter((n) => n.startsWith('Attn'));
      } finally {
        spy.mockRestore();
      }
    };
    expect(launched()).toEqual(['AttnLayerNorm', 'AttnGelu', 'AttnGeluGrad', 'AttnLayerNormGrad']);
    const prev = setFusedKernelsEnabled(false);
    try {
      expect(launched()).toEqual([]);
    } finally {
      setFusedKernelsEnabled(prev);
    }
    tf.dispose([x, g, b]);
  });

});
