import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { activation, UnknownActivationError } from './activation';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('activation', () => {
  const x = [-3, -1, -0.5, 0, 0.5, 1, 3];
  const run = (name: string) => Array.from(activation(name)(tf.tensor1d(x)).dataSync());

  it('"gelu" is the exact erf form and "gelu_new" the tanh approximation (they differ by up to ~5e-4)', () => {
    // 0.5 x (1 + erf(x / sqrt 2)), values from scipy
    const exact = [-0.00404969, -0.15865525, -0.15426877, 0, 0.34573123, 0.84134475, 2.99595031];
    run('gelu').forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 6));
    const approx = run('gelu_new');
    expect(Math.max(...approx.map((v, i) => Math.abs(v - exact[i]!)))).toBeGreaterThan(1e-4);
    approx.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 2));
  });

  it('has relu, silu and tanh, and names the config field for an unknown one', () => {
    expect(run('relu')).toEqual([0, 0, 0, 0, 0.5, 1, 3]);
    expect(run('silu')[5]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(run('tanh')[0]).toBeCloseTo(Math.tanh(-3), 6);
    expect(() => activation('swishy')).toThrow(UnknownActivationError);
    expect(() => activation('swishy')).toThrow(/hidden_act/);
  });
});
