import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, gelu } from '@attn/tensor';
import { FeedForward } from './feed_forward';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('FeedForward', () => {
  it('is LayerNorm(x + dense2(gelu(dense1(x)))) with HF names', () => {
    const ff = new FeedForward({ hiddenSize: 4, intermediateSize: 6, initializerRange: 0.5 }).eval();
    expect(ff.namedParameters().map(([n]) => n)).toEqual([
      'intermediate.dense.weight', 'intermediate.dense.bias', 'output.dense.weight', 'output.dense.bias',
      'output.LayerNorm.weight', 'output.LayerNorm.bias',
    ]);
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const h = gelu(tf.add(tf.matMul(x.reshape([6, 4]), ff.intermediate.dense.weight), ff.intermediate.dense.bias!));
    const y = tf.add(tf.add(tf.matMul(h, ff.output.dense.weight), ff.output.dense.bias!), x.reshape([6, 4]));
    const { mean, variance } = tf.moments(y, -1, true);
    const want = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-12)));
    const got = ff.forward(x).reshape([6, 4]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    ff.dispose();
  });
});
