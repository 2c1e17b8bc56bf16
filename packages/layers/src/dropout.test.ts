import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
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
});
