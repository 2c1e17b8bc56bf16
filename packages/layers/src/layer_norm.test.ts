import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { LayerNorm } from './layer_norm';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('LayerNorm', () => {
  it('normalises with biased variance and eps inside the sqrt, then scales and shifts', () => {
    const ln = new LayerNorm({ normalizedShape: 4, eps: 1e-12 });
    ln.weight.assign(tf.tensor1d([1, 2, 1, 0.5]));
    ln.bias.assign(tf.tensor1d([0, 0, 1, 0]));
    const x = [1, 2, 3, 6];
    const mean = 3;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / 4);
    const want = x.map((v, i) => ((v - mean) / std) * [1, 2, 1, 0.5][i]! + [0, 0, 1, 0][i]!);
    const got = ln.forward(tf.tensor2d([x])).dataSync();
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
    ln.dispose();
  });

  it('uses the configured eps (tfjs default 1e-3 would differ on small variance)', () => {
    const ln = new LayerNorm({ normalizedShape: 2, eps: 1e-12 });
    const got = ln.forward(tf.tensor2d([[0, 0.002]])).dataSync();
    expect(got[0]).toBeCloseTo(-1, 4);
    ln.dispose();
  });
});
