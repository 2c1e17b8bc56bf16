import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { RMSNorm } from './rms_norm';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('RMSNorm', () => {
  it('divides by the root mean square, without centring', () => {
    const n = new RMSNorm({ normalizedShape: 2, eps: 0 });
    expect(Array.from(n.forward(tf.tensor2d([[3, 4]])).dataSync()).map((x) => +x.toFixed(5))).toEqual([0.84853, 1.13137]);
  });

  it('scales by its weight and adds eps inside the root', () => {
    const n = new RMSNorm({ normalizedShape: 2, eps: 1 });
    n.weight.assign(tf.tensor1d([2, 0.5]));
    // x = [1, 1]: mean(x²) = 1, so x / sqrt(1 + 1) · w
    const got = Array.from(n.forward(tf.tensor2d([[1, 1]])).dataSync());
    expect(got[0]).toBeCloseTo(2 / Math.SQRT2, 6);
    expect(got[1]).toBeCloseTo(0.5 / Math.SQRT2, 6);
  });
});
