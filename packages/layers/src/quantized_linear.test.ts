import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, initBackend, quantizePerChannel, tf } from '@attn/tensor';
import { FeedForward } from './feed_forward';
import { Linear } from './linear';
import { LoRALinear } from './lora';
import { QuantizedLinear, quantizeLinears } from './quantized_linear';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const maxAbs = (t: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]!);

describe('quantizeLinears', () => {
  it('swaps every Linear for a QuantizedLinear that stays within int8 error of the float one, frees the float weights', () => {
    const ff = new FeedForward({ hiddenSize: 32, intermediateSize: 64, initializerRange: 0.1 }, { rng: new Generator(1) }).eval();
    const x = tf.randomNormal([2, 5, 32], 0, 1, 'float32', 2);
    const want = ff.forward(x);
    const oldWeights = [ff.intermediate.dense.weight, ff.output.dense.weight];
    const before = tf.memory().numTensors;
    expect(quantizeLinears(ff)).toEqual(['intermediate.dense', 'output.dense']);
    expect(ff.intermediate.dense).toBeInstanceOf(QuantizedLinear);
    expect(oldWeights.every((w) => w.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before - 2);
    // Only the biases and LayerNorm remain float parameters.
    expect(ff.namedParameters().map(([n]) => n)).toEqual(['intermediate.dense.bias', 'output.dense.bias', 'output.LayerNorm.weight', 'output.LayerNorm.bias']);
    const got = ff.forward(x);
    expect(got.shape).toEqual([2, 5, 32]);
    const err = maxAbs(tf.sub(got, want));
    expect(err).toBeGreaterThan(0); // it really is quantized
    expect(err).toBeLessThan(0.05 * maxAbs(want));
    const afterForward = tf.memory().numTensors;
    tf.dispose(ff.forward(x)); // no tensor leaked per call
    expect(tf.memory().numTensors).toBe(afterForward);
    tf.dispose([x, want, got]);
    ff.dispose();
  });

  it('keeps excluded modules in float and uses given int8 weights', () => {
    const ff = new FeedForward({ hiddenSize: 8, intermediateSize: 12 }, { rng: new Generator(3) }).eval();
    expect(quantizeLinears(ff, { exclude: ['output.dense'] })).toEqual(['intermediate.dense']);
    expect(Object.getPrototypeOf(ff.output.dense)).toBe(Linear.prototype);
    const other = new Linear({ inFeatures: 8, outFeatures: 12 }, { rng: new Generator(4) });
    const given = quantizePerChannel(other.weight);
    const ff2 = new FeedForward({ hiddenSize: 8, intermediateSize: 12 }, { rng: new Generator(3) }).eval();
    expect(quantizeLinears(ff2, { weights: new Map([['intermediate.dense', given]]) })).toEqual(['intermediate.dense']);
    expect((ff2.intermediate.dense as unknown as QuantizedLinear).weight).toBe(given);
    [ff, ff2, other].forEach((m) => m.dispose());
  });

  it('refuses an unmerged LoRA adapter and a weight of the wrong shape', () => {
    const lora = new LoRALinear(new Linear({ inFeatures: 4, outFeatures: 4 }), { rank: 2 });
    const parent = new FeedForward({ hiddenSize: 4, intermediateSize: 4 });
    parent.intermediate.replaceModule('dense', lora);
    expect(() => quantizeLinears(parent)).toThrow(/intermediate\.dense is a LoRALinear; merge the adapter first/);
    const w = quantizePerChannel(tf.zeros([4, 3]));
    expect(() => new QuantizedLinear({ inFeatures: 4, outFeatures: 4 }, w)).toThrow(/weight is \[3, 4\] \(\[out, in\]\) but the layer is 4 → 4/);
    parent.dispose();
  });
});
