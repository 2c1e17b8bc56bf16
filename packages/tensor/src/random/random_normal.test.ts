import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { Generator } from './generator';
import { randomNormal, truncatedNormal } from './random_normal';
import { dropout } from './dropout';
import { expectNoTensorLeak } from '../memory/tensor_leak';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('random tensors', () => {
  it('randomNormal is seeded and has the requested moments', () => {
    const a = randomNormal([100, 100], { mean: 1, std: 0.5, rng: new Generator(9) });
    const b = randomNormal([100, 100], { mean: 1, std: 0.5, rng: new Generator(9) });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const { mean, variance } = tf.moments(a);
    expect(Math.abs(mean.dataSync()[0]! - 1)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(variance.dataSync()[0]!) - 0.5)).toBeLessThan(0.02);
    tf.dispose([a, b, mean, variance]);
  });

  it('truncatedNormal stays within 2 std', () => {
    const t = truncatedNormal([10_000], { std: 0.02, rng: new Generator(1) });
    const d = t.dataSync();
    expect(Math.max(...Array.from(d, Math.abs))).toBeLessThanOrEqual(0.04 + 1e-7);
    t.dispose();
  });

  it('dropout: same seed same mask, scaled, gradient is the mask, no leaks', async () => {
    const x = tf.ones([1000]);
    const a = dropout(x, 0.25, 11);
    const b = dropout(x, 0.25, 11);
    const ad = a.dataSync();
    expect(Array.from(ad)).toEqual(Array.from(b.dataSync()));
    const kept = Array.from(ad).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 1000 - 0.75)).toBeLessThan(0.06);
    const g = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.25, 11)))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(ad));
    await expectNoTensorLeak(() => dropout(x, 0.5, 3));
    tf.dispose([x, a, b, g]);
  });
});
