import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator, dropout } from '@attn/tensor';
import { Dropout } from './dropout';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Dropout', () => {
  it('is the identity in eval mode', () => {
    const d = new Dropout({ rate: 0.5 }).eval();
    const x = tf.ones([10]);
    expect(Array.from(d.forward(x).dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('zeroes about rate of the values and scales the rest by 1/(1-rate), reproducibly per seed', () => {
    const x = tf.ones([20000]);
    const a = new Dropout({ rate: 0.25 }, { rng: new Generator(3) }).forward(x).dataSync();
    const b = new Dropout({ rate: 0.25 }, { rng: new Generator(3) }).forward(x).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.23);
    expect(zeros).toBeLessThan(0.27);
    expect(a.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => new Dropout({ rate: 1 })).toThrow(/rate/);
  });

  it("equals @attn/tensor's dropout for the same seed, and its gradient is the same mask", () => {
    const x = tf.randomNormal([4, 6, 8], 0, 1, 'float32', 5);
    const layer = new Dropout({ rate: 0.3 }, { rng: new Generator(11) });
    const seed = new Generator(11).nextSeed();
    const want = dropout(x, 0.3, seed);
    const got = layer.forward(x);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    // d/dx sum(w ⊙ dropout(x)) = w ⊙ mask, and the mask is want / x wherever x ≠ 0.
    const w = tf.randomNormal(x.shape, 0, 1, 'float32', 6);
    const again = new Dropout({ rate: 0.3 }, { rng: new Generator(11) });
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(again.forward(t), w)))(x).dataSync();
    const mask = tf.div(want, x).dataSync();
    const wv = w.dataSync();
    g.forEach((v, i) => expect(v).toBeCloseTo(wv[i]! * mask[i]!, 5));
    // Forward and backward leave nothing behind.
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(again.forward(t)))(x)));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([got, want, x, w]);
  });
});
