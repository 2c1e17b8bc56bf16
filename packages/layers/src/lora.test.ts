import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { TransformerEncoder } from './transformer_encoder';
import { Linear } from './linear';
import { LoRALinear, applyLoRA } from './lora';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('LoRALinear', () => {
  it('starts equal to the wrapped Linear, adds (alpha/r) x A B, and merges back', () => {
    const base = new Linear({ inFeatures: 6, outFeatures: 4, initializerRange: 0.5 }, { rng: new Generator(1) });
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 2);
    const y0 = base.forward(x).dataSync();
    const lora = new LoRALinear(base, { rank: 2, alpha: 4 }, { rng: new Generator(2) });
    expect(lora.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias', 'lora_A.weight', 'lora_B.weight']);
    expect(lora.weight).toBe(base.weight);
    expect(Array.from(lora.forward(x).dataSync())).toEqual(Array.from(y0));
    lora.lora_B.weight.assign(tf.randomNormal([2, 4], 0, 1, 'float32', 3));
    const want = tf.add(base.forward(x), tf.mul(tf.matMul(tf.matMul(x, lora.lora_A.weight), lora.lora_B.weight), 2));
    expect(tf.max(tf.abs(tf.sub(lora.forward(x), want))).dataSync()[0]).toBeLessThan(1e-5);
    const merged = lora.merged();
    expect(tf.max(tf.abs(tf.sub(merged.forward(x), want))).dataSync()[0]).toBeLessThan(1e-5);
    expect(lora.getConfig()).toEqual({ inFeatures: 6, outFeatures: 4, initializerRange: 0.5, rank: 2, alpha: 4, dropout: 0 });
  });
});

describe('applyLoRA', () => {
  it('adapts query/value, freezes the rest, and training changes ONLY the LoRA parameters', () => {
    const enc = new TransformerEncoder(
      { numLayers: 2, hiddenSize: 16, numHeads: 2, intermediateSize: 32, initializerRange: 0.2 },
      { rng: new Generator(4) },
    ).eval();
    const adapted = applyLoRA(enc, { rank: 4, alpha: 8, targetModules: ['query', 'value'], rng: new Generator(5) });
    expect(adapted).toEqual([
      'layer.0.attention.self.query', 'layer.0.attention.self.value', 'layer.1.attention.self.query', 'layer.1.attention.self.value',
    ]);
    const trainable = enc.trainableParameters();
    expect(trainable.map(([n]) => n)).toEqual([
      'layer.0.attention.self.query.lora_A.weight', 'layer.0.attention.self.query.lora_B.weight',
      'layer.0.attention.self.value.lora_A.weight', 'layer.0.attention.self.value.lora_B.weight',
      'layer.1.attention.self.query.lora_A.weight', 'layer.1.attention.self.query.lora_B.weight',
      'layer.1.attention.self.value.lora_A.weight', 'layer.1.attention.self.value.lora_B.weight',
    ]);
    expect(enc.numParameters({ trainableOnly: true })).toBe(4 * (16 * 4 + 4 * 16));

    const before = Object.fromEntries(enc.namedParameters().map(([n, v]) => [n, Array.from(v.dataSync())]));
    const x = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 6);
    const target = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 7);
    const vars = trainable.map(([, v]) => v);
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(tf.sub(enc.forward(x).lastHiddenState, target))) as tf.Scalar,
        vars,
      );
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.5)))));
      losses.push(value.dataSync()[0]!);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses[3]).toBeLessThan(losses[0]!);
    for (const [name, v] of enc.namedParameters()) {
      const changed = Array.from(v.dataSync()).some((x, i) => x !== before[name]![i]);
      expect([name, changed]).toEqual([name, name.includes('.lora_')]);
    }
    enc.dispose();
  });
});
